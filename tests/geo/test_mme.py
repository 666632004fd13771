"""The MME v7 import: the real data set in, a data folder that validates clean out.

Expected values were read from ``shared/data/mme_v7.csv`` by hand (the CSV line is
quoted above each check), so a change in how a row is read shows up as a failure.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import yaml

from build_map import main
from mongolmap.geo.load import load_catalogue
from mongolmap.geo.mme import import_mme, location_precision, named_countries, partial_date, participant_code

MME_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "mme_v7.csv"

needs_csv = pytest.mark.skipif(
    not MME_CSV.is_file() and os.environ.get("CI") != "true",
    reason=f"MME data set not found at {MME_CSV}",
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Run the import once for the module: (report, output folder)."""
    out = tmp_path_factory.mktemp("mme") / "data"
    return import_mme(MME_CSV, out), out


@pytest.fixture(scope="module")
def records(imported):
    """The written records by section and id."""
    _, out = imported
    tables: dict[str, dict[str, dict]] = {}
    for path in sorted(out.glob("*.yaml")):
        for section, items in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if section == "title":
                continue
            key = "key" if section == "layers" else "id"
            tables.setdefault(section, {}).update({item[key]: item for item in items})
    return tables


# --- Small parts, no data set needed ------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param(("2006", "8", "11"), "2006-08-11", id="day"),
        pytest.param(("1980", "1", "xx"), "1980-01", id="day-unknown"),
        pytest.param(("2003", "xx", "xx"), "2003", id="month-unknown"),
        pytest.param(("2003", "xx", "14"), "2003", id="day-without-month"),
        pytest.param(("2001", "4", "31"), "2001-04", id="impossible-day-keeps-month"),
        pytest.param(("xx", "4", "3"), None, id="no-year"),
        pytest.param(("", "", ""), None, id="empty"),
    ],
)
def test_partial_date(parts, expected):
    assert partial_date(*parts) == expected


@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        pytest.param("Federal Republic of Germany", 1985, "DEU", id="frg"),
        pytest.param("German Democratic Republic", 1985, "DDR", id="gdr"),
        pytest.param("Czechoslovakia", 1985, "CSK", id="csk"),
        pytest.param("Russia", 1991, "SUN", id="russia-before-1992-is-ussr"),
        pytest.param("Russia", 1992, "RUS", id="russia-from-1992"),
        pytest.param("Yugoslavia", 1999, "YUG", id="yugoslavia"),
        pytest.param("Yugoslavia", 2004, "SCG", id="yugoslavia-2004-is-serbia-and-montenegro"),
        pytest.param("South Korea", 2000, "KOR", id="south-korea"),
        pytest.param("Côte d’Ivoire", 2000, "CIV", id="cote-divoire"),
        pytest.param("St. Vincent & Grenadines", 2000, "VCT", id="st-vincent"),
        pytest.param("Turkey", 2000, "TUR", id="turkey"),
        pytest.param("Brunei", 2000, "BRN", id="fuzzy-one-answer"),
        pytest.param("Baltic States", 1997, None, id="not-a-country"),
        pytest.param("NATO", 2006, None, id="organisation-is-not-a-country"),
    ],
)
def test_participant_code(name, year, expected):
    assert participant_code(name, year, 6) == expected


@pytest.mark.parametrize(
    ("text", "precision", "codes"),
    [
        pytest.param("Mongolia", "country", ["MNG"], id="bare-country"),
        pytest.param("south korea", "country", ["KOR"], id="bare-country-lower-case"),
        pytest.param("PAYA LEBAR AIR BASE, Singapore", "installation", ["SGP"], id="air-base"),
        pytest.param("Tavantolgoi training center in Mongolia", "installation", ["MNG"], id="training-centre"),
        pytest.param("Darwin, Australia", "city", ["AUS"], id="city"),
        pytest.param("north atlantic between nova scotia and europe", "region", [], id="ocean"),
        pytest.param("South China Sea", "region", [], id="sea-named-after-a-country"),
        pytest.param("off the coast of Scotland", "region", ["GBR"], id="coast"),
        pytest.param("Alaska", "region", ["USA"], id="bare-state-is-a-region"),
        pytest.param("ingleburn and singleton in the state of new south wales", "region", ["AUS"], id="nsw-not-wales"),
    ],
)
def test_location_text(text, precision, codes):
    assert location_precision(text) == precision
    assert [n.code for n in named_countries(text)[0]] == codes


# --- The real data set --------------------------------------------------------------------


@needs_csv
def test_counts(imported):
    report, _ = imported
    # 3,707 data lines: the README says 3,706 exercises; three MMEIDs are used twice.
    assert report.rows_read == 3707
    assert report.events_written + len(report.unusable) == report.rows_read
    assert len(report.unusable) == 86
    assert all("no usable coordinates" in why for _, why in report.unusable)
    assert report.events_written == 3621
    # 208 -9 entries in the file; 19 of them are in the 86 unusable rows.
    assert report.unknown_participants == 189
    assert len(report.dropped_ends) == 6
    assert report.unmapped_names == {"Baltic States": ["mme3493"]}
    assert sorted(m for m, _ in report.duplicate_ids) == ["mme3457", "mme3458", "mme3460"]
    assert sum(report.by_layer.values()) == report.events_written


@needs_csv
def test_written_folder_validates_clean(imported, records):
    report, out = imported
    catalogue, problems = load_catalogue(out, seeds_dir=None)
    assert [str(p) for p in problems] == []
    assert len(catalogue.events) == report.events_written
    assert len(catalogue.places) == report.places
    assert len(catalogue.actors) == report.actors
    assert sorted(p.name for p in out.iterdir()) == [
        "actors.yaml", "exercises.yaml", "places.yaml", "sources.yaml", "styles.yaml",
    ]
    layers = records["layers"]
    assert list(layers) == ["warfighting", "peacekeeping", "humanitarian", "other_exercises"]
    assert len({s["colour"] for s in layers.values()}) == 4
    assert len({s["symbol"] for s in layers.values()}) == 4
    assert not any(s.get("participant_arcs") or s.get("shade_participants") for s in layers.values())
    assert records["sources"]["mme-v7"] == {
        "id": "mme-v7", "kind": "dataset", "title": "Multinational Military Exercises, 1980-2010",
        "author": "D'Orazio, Vito; Galambos, Kevin", "publisher": "Harvard Dataverse",
        "published": "2021", "address": "https://doi.org/10.7910/DVN/KHFODX",
        "note": records["sources"]["mme-v7"]["note"],
    }


@needs_csv
def test_khaan_quest_2006(records):
    # mme2874,Khaan Quest 2006,Khaan Quest,Tavantolgoi training center in Mongolia,46.862496,103.846656,
    # 8/11/06,2006,8,11,8/25/06,2006,8,25, ... Peacekeeping 1 ..., Bangladesh,Fiji,India,Mongolia,Thailand,Tonga,United States
    event = records["events"]["mme-2874"]
    assert event["kind"] == "exercise"
    assert event["title"] == "Khaan Quest 2006"
    assert (event["start"], event["end"]) == ("2006-08-11", "2006-08-25")
    assert event["layer"] == "peacekeeping"
    assert event["participants"] == ["bgd", "fji", "ind", "mng", "tha", "ton", "usa"]
    assert event["citations"] == [{"source": "mme-v7", "ref": "mme2874"}]
    place = records["places"][event["places"][0]]
    assert (place["country"], place["lat"], place["lon"], place["precision"]) == ("MNG", 46.8625, 103.8467, "installation")
    assert place["aliases"] == ["Tavantolgoi training center in Mongolia"]
    assert records["actors"]["mng"] == {
        "id": "mng", "kind": "country", "name": "Mongolia", "country": "MNG", "place": "country-mng",
    }
    country = records["places"]["country-mng"]
    assert (country["precision"], country["country"]) == ("country", "MNG")
    assert "representative point" in country["note"]


@needs_csv
def test_month_precision_row(records):
    # mme88,Saudi Arabian skies,,Egypt,26.820553,30.802498,1980-01-xx,1980,1,xx,1980-01-xx,1980,1,xx,...,Egypt,United States
    event = records["events"]["mme-88"]
    assert event["title"] == "Saudi Arabian skies"
    assert (event["start"], event["end"]) == ("1980-01", "1980-01")
    assert event["participants"] == ["egy", "usa"]
    assert event["layer"] == "warfighting"
    place = records["places"][event["places"][0]]
    assert (place["name"], place["country"], place["precision"]) == ("Egypt", "EGY", "country")


@needs_csv
def test_federal_republic_of_germany_and_soviet_russia(records):
    # mme90,Safe Pass 80,,north atlantic between nova scotia and europe,43.583399,-65.343001,2/24/80,...
    # Belgium,Canada,Federal Republic of Germany,Netherlands,United Kingdom,United States
    event = records["events"]["mme-90"]
    assert event["participants"] == ["bel", "can", "deu", "gbr", "nld", "usa"]
    assert (event["start"], event["end"]) == ("1980-02-24", "1980-03-07")
    assert records["places"][event["places"][0]]["precision"] == "region"
    # mme94,-9,,east Germany,...,3/21/80,...,German Democratic Republic,Russia
    event = records["events"]["mme-94"]
    assert event["participants"] == ["ddr", "sun"]
    assert event["title"] == "Unnamed exercise (mme94)"
    assert "Soviet Union as 'Russia'" in event["description"]
    assert records["actors"]["sun"]["country"] == "SUN"
    soviet = records["places"]["country-sun"]
    assert soviet["country"] == "SUN" and "RUS" in soviet["note"]


@needs_csv
def test_nato_participant(records):
    # mme2860,Cope Thunder 06-3,...,"Elmendorf Air Force Base, Alaska.",... Australia,Canada,Germany,Japan,
    # Mongolia,NATO,Slovakia,South Korea,Sweden,United States
    event = records["events"]["mme-2860"]
    assert event["participants"] == ["aus", "can", "deu", "jpn", "kor", "mng", "nato", "svk", "swe", "usa"]
    assert records["actors"]["nato"]["kind"] == "organisation"
    assert "country" not in records["actors"]["nato"]
    hq = records["places"][records["actors"]["nato"]["place"]]
    assert (hq["name"], hq["country"], hq["precision"]) == ("Brussels", "BEL", "city")
    place = records["places"][event["places"][0]]
    assert (place["country"], place["precision"]) == ("USA", "installation")


@needs_csv
def test_unknown_participant_is_skipped(records, imported):
    # The second mme3458: Kindred Sword,,"Munster, Germany",...,2007-05-xx,...,Forces from 17 NATO nations,-9
    report, _ = imported
    event = records["events"]["mme-3458-2"]
    assert event["title"] == "Kindred Sword"
    assert "participants" not in event
    assert "1 participant(s) as unknown (-9)" in event["description"]
    assert event["citations"] == [{"source": "mme-v7", "ref": "mme3458"}]
    assert "mme3458" in report.unknown_participant_rows


@needs_csv
def test_several_mission_flags_take_the_first_layer(records):
    # The second mme3460: Shanghai drill, Warfighting 1, Peacekeeping 0, Humanitarian 1
    event = records["events"]["mme-3460-2"]
    assert event["layer"] == "warfighting"
    assert "warfighting and humanitarian" in event["description"]


@needs_csv
def test_contradiction_is_reported_and_drawn_at_the_named_country(imported, records):
    # mme3268,Nomadic Elephant-2009,,"Five Hills [Tavan Tolgoi] , Mongolia",49.2852801,-123.1144061 (Vancouver)
    report, _ = imported
    contradictions = dict(report.contradictions)
    assert "mme3268" in contradictions
    assert "names MNG" in contradictions["mme3268"] and "lies in CAN" in contradictions["mme3268"]
    event = records["events"]["mme-3268"]
    place = records["places"][event["places"][0]]
    mongolia = records["places"]["country-mng"]
    assert (place["country"], place["precision"]) == ("MNG", "country")
    assert (place["lat"], place["lon"]) == (mongolia["lat"], mongolia["lon"])
    assert "49.2852801" in place["note"]
    assert len(report.contradictions) == 89


@needs_csv
def test_rows_in_crimea_are_in_ukraine_as_the_un_recognises(imported, records):
    """Nine rows naming Sevastopol or Simferopol, Ukraine contradicted Natural Earth's
    de facto outlines (98 contradictions before the UN boundaries, 89 after)."""
    report, _ = imported
    contradictions = dict(report.contradictions)
    crimea = ["mme1581", "mme1804", "mme2030", "mme2163", "mme2495", "mme2762", "mme3046", "mme3346", "mme3795"]
    assert [mmeid for mmeid in crimea if mmeid in contradictions] == []
    place = records["places"][records["events"]["mme-2030"]["places"][0]]
    assert (place["country"], place["lat"], place["lon"]) == ("UKR", 44.6166, 33.5254)


@needs_csv
def test_a_point_at_sea_is_a_place_without_a_country(imported, records):
    # mme1856,-9,,Adriatic Sea,41.8550904,17.2902839,...: off Italy's coast, in no outline.
    report, _ = imported
    at_sea = dict(report.at_sea)
    assert "nearest outline ITA" in at_sea["mme1856"]
    place = records["places"][records["events"]["mme-1856"]["places"][0]]
    assert "country" not in place
    assert (place["name"], place["lat"], place["lon"]) == ("Adriatic Sea", 41.8551, 17.2903)
    assert "at sea; the nearest is ITA" in place["note"]
    assert len(report.at_sea) == 515


@needs_csv
def test_end_before_start_is_dropped(imported, records):
    # mme281: StartDate 11/11/82, EndDate 11/10/82
    report, _ = imported
    assert ("mme281", "end 1982-11-10 is before start 1982-11-11") in report.dropped_ends
    event = records["events"]["mme-281"]
    assert event["start"] == "1982-11-11" and "end" not in event


@needs_csv
def test_unusable_rows_are_listed(imported):
    report, _ = imported
    reasons = dict(report.unusable)
    # mme211,...,hiuganada airspace,,, (no lat, lon)
    assert "mme211" in reasons and "hiuganada airspace" in reasons["mme211"]
    summary = report.summary()
    assert "unusable rows (not imported): 86" in summary
    assert "  mme211: no usable coordinates" in summary
    assert "  mme3268: 'Five Hills [Tavan Tolgoi] , Mongolia' names MNG" in summary
    assert "'Baltic States': mme3493" in summary


@needs_csv
def test_every_event_cites_its_row(records):
    with MME_CSV.open(encoding="utf-8", newline="") as handle:
        ids = {row["MMEID"] for row in csv.DictReader(handle)}
    refs = [e["citations"][0]["ref"] for e in records["events"].values()]
    assert len(refs) == 3621 and set(refs) <= ids


@needs_csv
def test_output_is_byte_identical(imported, tmp_path):
    _, first = imported
    second = tmp_path / "again"
    import_mme(MME_CSV, second)
    files = sorted(p.name for p in first.iterdir())
    assert files == sorted(p.name for p in second.iterdir())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@needs_csv
def test_cli_import(tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["import", "mme", str(MME_CSV), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"MME import: {MME_CSV} -> {out}\nrows read: 3707\n")
    assert "events written: 3621 (humanitarian 251, other_exercises 39, peacekeeping 297, warfighting 3034)" in printed
    assert (out / "exercises.yaml").is_file()
