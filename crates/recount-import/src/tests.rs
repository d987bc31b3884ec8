//! Reading files end to end: good layouts, and every kind of bad input located.

use super::*;
use std::io::Write;

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

fn options() -> Options {
    Options {
        source: Some("hotline".into()),
        ..Options::default()
    }
}

/// Reads `bytes` as a file named `name` and returns the records or the problems as
/// `row:column: problem [value] (code)` lines.
fn read(name: &str, bytes: &[u8], options: Options) -> Result<Vec<Record>, Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, name, bytes);
    let show = |ps: &[Problem]| {
        ps.iter()
            .map(|p| {
                format!(
                    "{}:{}: {} [{}] ({})",
                    p.row.map(|r| r.to_string()).unwrap_or_default(),
                    p.column.clone().unwrap_or_default(),
                    p.problem,
                    p.value.clone().unwrap_or_default(),
                    p.kind().code()
                )
            })
            .collect::<Vec<_>>()
    };
    match read_all(&path, options, 100) {
        Ok(Ok(records)) => Ok(records),
        Ok(Err(problems)) => Err(show(problems.shown())),
        Err(ImportError::Layout(problems)) => Err(show(&problems)),
        Err(e) => panic!("{e}"),
    }
}

/// Asserts the file is refused with exactly one problem containing each fragment of `expected`.
fn check_bad(name: &str, bytes: &[u8], options: Options, expected: &[&str]) {
    let problems = read(name, bytes, options).expect_err("the file must be refused");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    for fragment in expected {
        assert!(
            problems[0].contains(fragment),
            "{:?} lacks {fragment:?}",
            problems[0]
        );
    }
}

const HEADER: &str = "source,record_id,name,sex,birth_date,age,citizenship,origin,event,event_date,informant,report_id,quote\n";

#[test]
fn records_csv_v1_is_read_with_every_field() {
    let csv = format!(
        "{HEADER}hotline,1,Асанов Бекболат,m,1966-03,55-60,RU;KG,KG,exit_refused,2022-09-21/2022-09-23,relative,T-1,\"сказал: «в списке»\"\n\
         hotline,2,\"Иванов, Пётр\",,1970,,,,summoned,2022-10,,,\n"
    );
    let recs = read("a.csv", csv.as_bytes(), options()).unwrap();
    assert_eq!(recs.len(), 2);
    let r = &recs[0];
    assert_eq!(r.to_csv_v1_row()[..3], ["hotline", "1", "Асанов Бекболат"]);
    assert_eq!(r.age.unwrap().to_string(), "55-60");
    assert_eq!(r.event_date.unwrap().to_string(), "2022-09-21/2022-09-23");
    assert_eq!(r.quote.as_deref(), Some("сказал: «в списке»"));
    assert_eq!(recs[1].name.as_deref(), Some("Иванов, Пётр"));
    assert_eq!(recs[1].sex, None);
}

#[test]
fn bom_semicolons_tabs_and_crlf_are_read() {
    let body = "source;record_id;family_name;given_name\r\nhotline;7;Асанов;Бекболат\r\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(body.as_bytes());
    let recs = read("a.csv", &bytes, options()).unwrap();
    assert_eq!(recs[0].full_name().as_deref(), Some("Асанов Бекболат"));
    let tabs = body.replace(';', "\t");
    assert_eq!(read("a.tsv", tabs.as_bytes(), options()).unwrap(), recs);
}

#[test]
fn the_source_column_and_flag_agree_or_are_refused() {
    let csv = "source,record_id,name\nhotline,1,A\nlawyers,2,B\n";
    let recs = read("a.csv", csv.as_bytes(), Options::default()).unwrap();
    assert_eq!(recs[1].source.as_str(), "lawyers");
    check_bad(
        "a.csv",
        csv.as_bytes(),
        options(),
        &[
            "3:source:",
            "names source \"lawyers\" but --source is \"hotline\"",
        ],
    );
    let no_column = "record_id,name\n1,A\n";
    assert_eq!(
        read("a.csv", no_column.as_bytes(), options()).unwrap()[0]
            .source
            .as_str(),
        "hotline"
    );
    check_bad(
        "a.csv",
        no_column.as_bytes(),
        Options::default(),
        &["1:source:", "required column source is missing"],
    );
}

#[test]
fn bad_inputs_are_located() {
    let row = |cells: &str| format!("{HEADER}{cells}\n");
    check_bad(
        "a.csv",
        b"source,name\nhotline,A\n",
        options(),
        &[
            "1:record_id:",
            "required column record_id",
            "(missing_column)",
        ],
    );
    check_bad(
        "a.csv",
        b"source,record_id,sex\nhotline,1,m\n",
        options(),
        &["1:name:", "required column name", "(missing_column)"],
    );
    check_bad(
        "a.csv",
        b"source,record_id,name,surname\nhotline,1,A,B\n",
        options(),
        &["1:surname:", "unknown column", "(unknown_column)"],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,2022-13-01,,,,,,,,").as_bytes(),
        options(),
        &[
            "2:birth_date:",
            "month 13 does not exist",
            "[2022-13-01]",
            "(bad_date)",
        ],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,,,,,,31.12.2022,,,").as_bytes(),
        options(),
        &[
            "2:event_date:",
            "not a date in ISO form",
            "[31.12.2022]",
            "(bad_date)",
        ],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,,60-55,,,,,,,").as_bytes(),
        options(),
        &["2:age:", "reversed", "[60-55]", "(reversed_age_range)"],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,,,,,passport_seized,,,,").as_bytes(),
        options(),
        &[
            "2:event:",
            "not in the event vocabulary",
            "(unknown_event_term)",
        ],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,,,RU;XK,,,,,,").as_bytes(),
        options(),
        &[
            "2:citizenship:",
            "not an assigned country code",
            "(unknown_country)",
        ],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,,,,Kyrgyzstan,,,,,").as_bytes(),
        options(),
        &["2:origin:", "two-letter", "(unknown_country)"],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,x,,,,,,,,,").as_bytes(),
        options(),
        &["2:sex:", "not a sex code", "(bad_sex)"],
    );
    check_bad(
        "a.csv",
        row("hotline,1,,,,,,,,,,,").as_bytes(),
        options(),
        &["2:name:", "no name", "(no_name)"],
    );
    check_bad(
        "a.csv",
        row("hotline,,A,,,,,,,,,,").as_bytes(),
        options(),
        &["2:record_id:", "empty", "(empty_record_id)"],
    );
    check_bad(
        "a.csv",
        row("hotline,1,A,,,").as_bytes(),
        options(),
        &["2::", "6 cells but the header has 13", "(wrong_cell_count)"],
    );
    check_bad(
        "a.csv",
        b"",
        options(),
        &["1::", "the file is empty", "(empty_file)"],
    );
    check_bad("a.csv", b"\n\n", options(), &["1::", "the file is empty"]);
    check_bad(
        "a.csv",
        HEADER.as_bytes(),
        options(),
        &["2::", "no records", "(header_only)"],
    );
    check_bad("a.jsonl", b"\n", options(), &["1::", "empty"]);
    // A NUL byte in a name: located, and the name itself is never echoed.
    check_bad(
        "a.csv",
        b"source,record_id,name\nhotline,1,As\0anov\n",
        options(),
        &["2:name:", "NUL byte", "[] (nul_byte)"],
    );
    check_bad(
        "a.csv",
        "source,record_id,name\nhotline,1,A\nhotline,1,B\n".as_bytes(),
        options(),
        &[
            "3:record_id:",
            "used twice",
            "first at row 2",
            "(duplicate_record_id)",
        ],
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let csv = format!("{HEADER}hotline,1,A,x,2022-13-01,60-55,,,,,,,\nhotline,2,B,,,,,,nope,,,,\n");
    let problems = read("a.csv", csv.as_bytes(), options()).unwrap_err();
    let located: Vec<&str> = problems
        .iter()
        .map(|p| p.split(' ').next().unwrap())
        .collect();
    assert_eq!(located, ["2:sex:", "2:birth_date:", "2:age:", "3:event:"]);
}

#[test]
fn merged_problems_keep_row_order_and_the_cap() {
    let at = |row: Option<u64>, what: &str| Problem {
        file: "a.csv".into(),
        row,
        column: None,
        value: None,
        problem: what.into(),
        expected: String::new(),
        kind: ProblemKind::Other,
    };
    let mut reader = Problems::new(3);
    for row in [2, 5, 9, 11] {
        reader.push(at(Some(row), "read"));
    }
    let mut writer = Problems::new(3);
    writer.push(at(None, "file"));
    writer.push(at(Some(3), "write"));
    writer.push(at(Some(5), "write"));
    let merged = reader.merge(writer);
    let shown: Vec<_> = merged
        .shown()
        .iter()
        .map(|p| (p.row, p.problem.as_str()))
        .collect();
    assert_eq!(
        shown,
        [(None, "file"), (Some(2), "read"), (Some(3), "write")]
    );
    assert_eq!(merged.total(), 7);
}

#[test]
fn problems_are_capped_but_counted() {
    let mut csv = String::from("source,record_id,name,age\n");
    for i in 0..250 {
        csv.push_str(&format!("hotline,{i},A,old\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.csv", csv.as_bytes());
    let problems = read_all(&path, options(), 100).unwrap().unwrap_err();
    assert_eq!((problems.shown().len(), problems.total()), (100, 250));
    assert!(
        problems
            .to_string()
            .contains("... and 150 more problems (250 in all)")
    );
}

#[test]
fn windows_1251_is_detected_or_named() {
    let text = "source;record_id;name;place\nhotline;1;Асанов Бекболат;Верхний Ларс\n";
    let (cp, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let recs = read("a.csv", &cp, options()).unwrap();
    assert_eq!(recs[0].name.as_deref(), Some("Асанов Бекболат"));
    let named = Options {
        encoding: Some(TextEncoding::WINDOWS_1251),
        ..options()
    };
    assert_eq!(read("a.csv", &cp, named).unwrap(), recs);
    // Forcing UTF-8 on windows-1251 bytes locates every undecodable cell.
    let forced = Options {
        encoding: Some(TextEncoding::UTF_8),
        ..options()
    };
    let problems = read("a.csv", &cp, forced).unwrap_err();
    assert!(
        problems[0].starts_with("2:name: the value is not valid UTF-8"),
        "{problems:?}"
    );
}

const MAPPING: &str = r#"
version = 1
ignore = ["Телефон"]

[columns]
"Источник" = "source"
"Номер" = "record_id"
"Фамилия" = "family_name"
"Имя" = "given_name"
"Событие" = "event"
"Дата" = "event_date"
"Гражданство" = "citizenship"

[values.event]
"выезд запрещён" = "exit_refused"

[values.citizenship]
"Россия" = "RU"
"Кыргызстан" = "KG"

[dates]
formats = ["DD.MM.YYYY", "MM.YYYY"]
"#;

#[test]
fn a_mapping_renames_columns_translates_values_and_reads_dates() {
    let csv = "Источник;Номер;Фамилия;Имя;Событие;Дата;Гражданство;Телефон\n\
               hotline;1;Асанов;Бекболат;Выезд запрещён;31.12.2022;Россия;Кыргызстан;+7 900\n";
    let csv = csv
        .replace(";Россия;Кыргызстан;", ";Россия; Кыргызстан;")
        .replace("Россия; Кыргызстан", "\"Россия; Кыргызстан\"");
    let mapped = Options {
        mapping: Some(Mapping::from_toml(MAPPING).unwrap()),
        ..options()
    };
    let recs = read("a.csv", csv.as_bytes(), mapped.clone()).unwrap();
    let r = &recs[0];
    assert_eq!(r.family_name.as_deref(), Some("Асанов"));
    assert_eq!(r.event.as_ref().unwrap().as_str(), "exit_refused");
    assert_eq!(r.event_date.unwrap().to_string(), "2022-12-31");
    assert_eq!(
        r.citizenship.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["KG", "RU"]
    );
    // Without the mapping the same file is refused at its header.
    let problems = read("a.csv", csv.as_bytes(), options()).unwrap_err();
    assert!(
        problems
            .iter()
            .all(|p| p.contains("unknown column") || p.contains("required")),
        "{problems:?}"
    );
    // A date in none of the forms names them all.
    let bad = csv.replace("31.12.2022", "2022/12/31");
    let problems = read("a.csv", bad.as_bytes(), mapped.clone()).unwrap_err();
    assert!(problems[0].starts_with("2:Дата:"), "{problems:?}");
    assert!(problems[0].ends_with("(bad_date)"), "{problems:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.csv", bad.as_bytes());
    let problems = read_all(&path, mapped.clone(), 10).unwrap().unwrap_err();
    let kind = problems.shown()[0].kind();
    assert_eq!(
        kind,
        &ProblemKind::BadDate {
            range: true,
            formats: vec!["DD.MM.YYYY".into(), "MM.YYYY".into()],
            suggest_mapping: false,
        }
    );
    assert_eq!(kind.notes(), ["date_range", "mapping_forms"]);
    // Both ends read through the mapping, in the wrong order.
    let reversed = csv.replace("31.12.2022", "31.12.2022/01.12.2022");
    let problems = read("a.csv", reversed.as_bytes(), mapped).unwrap_err();
    assert!(
        problems[0].ends_with("(reversed_date_range)"),
        "{problems:?}"
    );
}

#[test]
fn json_lines_are_read_line_by_line() {
    let jsonl = "{\"source\":\"hotline\",\"record_id\":1,\"name\":\"Асанов\",\"citizenship\":[\"RU\",\"KG\"],\"age\":57}\n\
                 \n\
                 {\"source\":\"hotline\",\"record_id\":\"2\",\"name\":\"B\",\"age\":null}\n";
    let recs = read("a.jsonl", jsonl.as_bytes(), options()).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].record_id, "1");
    assert_eq!(recs[0].age.unwrap().to_string(), "57");
    assert_eq!(recs[0].citizenship.len(), 2);
    let bad = "{\"record_id\":\"1\",\"name\":\"A\",\"surname\":\"B\"}\nnot json\n";
    let problems = read("a.jsonl", bad.as_bytes(), options()).unwrap_err();
    assert!(
        problems[0].starts_with("1:surname: unknown field"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("2:: the line is not valid JSON"),
        "{problems:?}"
    );
    assert!(problems[0].ends_with("(unknown_column)"), "{problems:?}");
    assert!(problems[1].ends_with("(not_json)"), "{problems:?}");
}

#[test]
fn xlsx_sheets_are_read_with_spreadsheet_rows() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hotline.xlsx");
    let (records, problems) = {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for row in RecordReader::open(&path, options()).unwrap() {
            let row = row.unwrap();
            match row.result {
                Ok(r) => ok.push((row.row, r)),
                Err(ps) => bad.extend(ps.into_iter().map(|p| (p.row, p.column))),
            }
        }
        (ok, bad)
    };
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].0, 2);
    assert_eq!(records[0].1.record_id, "101");
    assert_eq!(records[0].1.name.as_deref(), Some("Асанов Бекболат"));
    assert_eq!(records[0].1.age.unwrap().to_string(), "57");
    assert_eq!(records[0].1.event_date.unwrap().to_string(), "2022-09-21");
    assert_eq!(problems, [(Some(4), Some("age".to_owned()))]);
}

#[test]
fn kinds_are_told_apart_by_structure_not_by_words() {
    let row = |cells: &str| format!("{HEADER}{cells}\n");
    for (cells, code) in [
        ("hotline,1,A,,,60-55,,,,,,,", "(reversed_age_range)"),
        ("hotline,1,A,,,55-x,,,,,,,", "(bad_age)"),
        ("hotline,1,A,,,200,,,,,,,", "(bad_age)"),
        (
            "hotline,1,A,,,,,,,2022-10/2022-09,,,",
            "(reversed_date_range)",
        ),
        ("hotline,1,A,,,,,,,2022-10/2022-13,,,", "(bad_date)"),
        ("hotline,1,A,,,,,,,,cousin,,", "(unknown_informant)"),
    ] {
        check_bad("a.csv", row(cells).as_bytes(), options(), &[code]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "a.csv",
        row("hotline,1,A,,,,,,,31.12.2022,,,").as_bytes(),
    );
    let problems = read_all(&path, options(), 10).unwrap().unwrap_err();
    let kind = problems.shown()[0].kind();
    assert_eq!(kind.notes(), ["date_range", "mapping_hint"]);
}

#[test]
fn every_code_is_distinct_snake_case() {
    let codes = ProblemKind::CODES;
    let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), codes.len());
    for c in codes {
        assert!(
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{c}"
        );
    }
    assert!(codes.contains(&ProblemKind::ReversedAgeRange.code()));
}

#[test]
fn the_json_of_a_problem_adds_its_code_and_its_text_stays() {
    let p = Problem::duplicate("a.csv", 3, "7", 2);
    assert_eq!(
        p.to_string(),
        "a.csv, row 3, column record_id: record_id is used twice in this import (first at row 2) \
         (value \"7\"); expected a record_id unique within its source"
    );
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        serde_json::json!({
            "file": "a.csv", "row": 3, "column": "record_id", "value": "7",
            "problem": "record_id is used twice in this import (first at row 2)",
            "expected": "a record_id unique within its source",
            "code": "duplicate_record_id",
        })
    );
    // A problem without a kind of its own is serialised with the code `other`.
    let literal = Problem {
        file: "a.csv".into(),
        row: None,
        column: None,
        value: None,
        problem: "something".into(),
        expected: "something else".into(),
        kind: ProblemKind::Other,
    };
    assert_eq!(serde_json::to_value(&literal).unwrap()["code"], "other");
}

/// The constructors the pipeline's import step can call give the words its field-by-field
/// problems have, and a code.
#[test]
fn the_pipeline_constructors_keep_the_words() {
    let p = Problem::changed_content("b.csv", 2, "1", "hotline", "a.csv", 5);
    assert_eq!(
        p.problem,
        "source \"hotline\" already has this record_id with different content (imported from a.csv, row 5)"
    );
    assert_eq!(
        p.expected,
        "the same content as before, or --update to replace it"
    );
    assert_eq!(
        (p.row, p.column.as_deref(), p.value.as_deref()),
        (Some(2), Some("record_id"), Some("1"))
    );
    assert_eq!(p.kind().code(), "changed_content");

    let p = Problem::group_conflict("b.csv", "rferl", Some("wire"), "tass");
    assert_eq!(
        p.problem,
        "source \"rferl\" is in dependency group \"wire\", not \"tass\""
    );
    assert_eq!(p.value.as_deref(), Some("tass"));
    let p = Problem::group_conflict("b.csv", "rferl", None, "tass");
    assert_eq!(
        p.problem,
        "source \"rferl\" is its own dependency group, not in \"tass\""
    );
    assert_eq!(p.kind().code(), "own_group_conflict");

    let p = Problem::request("b.csv", ProblemKind::EmptySourceName);
    assert_eq!(
        (p.problem.as_str(), p.expected.as_str()),
        ("--source is empty", "a source name such as hotline")
    );
    let p = Problem::bad_mapping("m.toml", "version 2 is not known".into());
    assert_eq!(p.problem, "version 2 is not known");
    assert_eq!(p.expected, "a mapping file as docs/importing.md describes");
    assert_eq!(
        p.kind().params(),
        [("detail", "version 2 is not known".to_owned())]
    );
}
