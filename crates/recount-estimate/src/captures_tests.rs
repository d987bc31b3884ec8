//! The captures CSV: good tables, merged duplicates, and every kind of bad input.

use super::*;

fn err(text: &str) -> CaptureError {
    CaptureTable::from_csv(text).expect_err("the input is bad")
}

#[test]
fn reads_a_table_of_counts() {
    let (t, notices) =
        CaptureTable::from_csv("\u{feff}A,B,C,count\r\n1,0,0,5\r\n0,1,1,2\r\n").unwrap();
    assert!(notices.is_empty());
    assert_eq!(t.lists(), ["A", "B", "C"]);
    assert_eq!(t.observed(), 7);
    assert_eq!(t.count(Pattern(0b001)), 5);
    assert_eq!(t.count(Pattern(0b110)), 2);
    assert_eq!(t.list_totals(), vec![5, 2, 2]);
}

#[test]
fn reads_one_row_per_person_and_the_count_column_anywhere() {
    let (t, _) = CaptureTable::from_csv("A,B\n1,0\n1,1\n1,0\n").unwrap();
    assert_eq!(t.count(Pattern(0b01)), 2);
    assert_eq!(t.count(Pattern(0b11)), 1);
    let (t, _) = CaptureTable::from_csv("count,A,B\n3,1,1\n4,0,1\n").unwrap();
    assert_eq!(t.lists(), ["A", "B"]);
    assert_eq!(t.count(Pattern(0b10)), 4);
}

#[test]
fn duplicated_patterns_are_merged_with_a_notice() {
    let (t, notices) = CaptureTable::from_csv("A,B,count\n1,1,2\n0,1,3\n1,1,4\n").unwrap();
    assert_eq!(t.count(Pattern(0b11)), 6);
    assert_eq!(
        notices,
        vec![Notice::MergedDuplicates {
            pattern: "11".into(),
            rows: vec![2, 4]
        }]
    );
    assert!(notices[0].to_string().contains("rows 2, 4"));
}

#[test]
fn the_reference_data_parse() {
    for (name, lists, n) in [
        ("kosovo", 4, 4400),
        ("rcapture_hiv", 4, 1896),
        ("rcapture_lesbian", 4, 2185),
        ("dga_my3", 3, 626),
        ("dga_my5", 5, 537),
        ("verdata_R1_hombre_1999", 20, 982),
    ] {
        let path = format!("{}/tests/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
        let (t, _) = CaptureTable::from_csv(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!((t.list_count(), t.observed()), (lists, n), "{name}");
    }
}

#[test]
fn bad_input_is_located() {
    assert_eq!(err(""), CaptureError::Empty);
    assert_eq!(err("\n\n"), CaptureError::Empty);
    assert_eq!(err("A,B,count\n"), CaptureError::NoRecords);
    assert_eq!(err("A,B,count\n1,0,0\n"), CaptureError::NoRecords);
    assert_eq!(
        err("A,count\n1,4\n"),
        CaptureError::TooFewLists { found: 1 }
    );
    assert_eq!(
        err("A,B,count\n1,0,3\n0,0,2\n"),
        CaptureError::AllZeroPattern { row: Some(3) }
    );
    assert_eq!(
        err("A,B\n1,2\n"),
        CaptureError::NotZeroOne {
            row: 2,
            column: "B".into(),
            value: "2".into()
        }
    );
    assert_eq!(
        err("A,B,count\n1,1,-3\n"),
        CaptureError::BadCount {
            row: 2,
            value: "-3".into()
        }
    );
    assert_eq!(
        err("A,B,count\n1,1,1.5\n"),
        CaptureError::BadCount {
            row: 2,
            value: "1.5".into()
        }
    );
    assert_eq!(
        err("A,B,C,count\n1,1,0,3\n1,0,0,2\n"),
        CaptureError::EmptyList {
            names: vec!["C".into()]
        }
    );
    assert_eq!(
        err("A,B\n1,1,1\n"),
        CaptureError::WrongFieldCount {
            row: 2,
            found: 3,
            expected: 2
        }
    );
    assert_eq!(
        err("A,A\n1,1\n"),
        CaptureError::DuplicateColumn { name: "A".into() }
    );
    let thirty: Vec<String> = (1..=30).map(|i| format!("L{i}")).collect();
    let text = format!("{}\n{}\n", thirty.join(","), vec!["1"; 30].join(","));
    assert_eq!(
        err(&text),
        CaptureError::TooManyLists {
            found: 30,
            max: MAX_LISTS
        }
    );
    // Every message names what is wrong and where.
    assert!(err("A,B\n1,x\n").to_string().contains("row 2, column `B`"));
}

#[test]
fn whole_number_counts_written_as_decimals_are_accepted() {
    let (t, _) = CaptureTable::from_csv("A,B,count\n1,1,12.0\n").unwrap();
    assert_eq!(t.observed(), 12);
}

#[test]
fn empty_lists_can_be_dropped_from_a_built_table() {
    let t = CaptureTable::from_counts(
        vec!["A".into(), "B".into(), "C".into()],
        [(Pattern(0b101), 3), (Pattern(0b001), 2)],
    )
    .unwrap();
    assert_eq!(t.empty_lists(), vec!["B".to_string()]);
    let d = t.without_empty_lists();
    assert_eq!(d.lists(), ["A", "C"]);
    assert_eq!(d.count(Pattern(0b11)), 3);
    assert_eq!(d.observed(), 5);
}
