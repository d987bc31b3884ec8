use crate::{
    AgeRange, CountryCode, EventDate, EventTerm, Informant, PartialDate, RecordKey, Sex, SourceName,
};
use serde::{Deserialize, Serialize};

/// The columns of Records CSV v1, in their canonical order.
pub const RECORDS_CSV_V1_COLUMNS: [&str; 21] = [
    "source",
    "record_id",
    "name",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "document_id",
    "age",
    "citizenship",
    "origin",
    "residence",
    "event",
    "event_date",
    "place",
    "informant",
    "report_id",
    "quote",
    "notes",
];

/// One person-event as told by one source, with every field of Records CSV v1.
///
/// Names are kept exactly as written (any script); the name engine derives its keys from them.
/// `quote` holds the original words as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub source: SourceName,
    pub record_id: String,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub patronymic: Option<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<PartialDate>,
    pub birth_place: Option<String>,
    pub document_id: Option<String>,
    pub age: Option<AgeRange>,
    pub citizenship: Vec<CountryCode>,
    pub origin: Option<CountryCode>,
    pub residence: Option<String>,
    pub event: Option<EventTerm>,
    pub event_date: Option<EventDate>,
    pub place: Option<String>,
    pub informant: Option<Informant>,
    pub report_id: Option<String>,
    pub quote: Option<String>,
    pub notes: Option<String>,
}

impl Record {
    /// A record with only its identity set; callers fill the fields they have.
    pub fn new(source: impl Into<String>, record_id: impl Into<String>) -> Self {
        Record {
            source: SourceName(source.into()),
            record_id: record_id.into(),
            name: None,
            given_name: None,
            family_name: None,
            patronymic: None,
            sex: None,
            birth_date: None,
            birth_place: None,
            document_id: None,
            age: None,
            citizenship: Vec::new(),
            origin: None,
            residence: None,
            event: None,
            event_date: None,
            place: None,
            informant: None,
            report_id: None,
            quote: None,
            notes: None,
        }
    }

    pub fn key(&self) -> RecordKey {
        RecordKey {
            source: self.source.clone(),
            record_id: self.record_id.clone(),
        }
    }

    /// The name as one string: `name` if given, else family, given and patronymic joined in
    /// document order (surname first), which the name engine's parser recognises.
    pub fn full_name(&self) -> Option<String> {
        if let Some(n) = self.name.as_deref().filter(|n| !n.trim().is_empty()) {
            return Some(n.to_owned());
        }
        let parts: Vec<&str> = [&self.family_name, &self.given_name, &self.patronymic]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .filter(|p| !p.trim().is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// The values of the record in Records CSV v1 column order, empty where absent.
    pub fn to_csv_v1_row(&self) -> [String; 21] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let show = |o: Option<String>| o.unwrap_or_default();
        [
            self.source.0.clone(),
            self.record_id.clone(),
            opt(&self.name),
            opt(&self.given_name),
            opt(&self.family_name),
            opt(&self.patronymic),
            show(self.sex.map(|s| s.to_string())),
            show(self.birth_date.map(|d| d.to_string())),
            opt(&self.birth_place),
            opt(&self.document_id),
            show(self.age.map(|a| a.to_string())),
            self.citizenship
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            show(self.origin.map(|c| c.to_string())),
            opt(&self.residence),
            show(self.event.as_ref().map(|e| e.to_string())),
            show(self.event_date.map(|d| d.to_string())),
            opt(&self.place),
            show(self.informant.map(|i| i.to_string())),
            opt(&self.report_id),
            opt(&self.quote),
            opt(&self.notes),
        ]
    }
}

/// A list or channel that records person-events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub name: SourceName,
    /// Sources that share an origin (outlets republishing one wire story, one witness heard by
    /// two NGOs) carry the same group and count once for corroboration. `None`: its own group.
    pub dependency_group: Option<String>,
    /// Whether this source may list one person more than once, so that linkage may join two of
    /// its records.
    pub contains_duplicates: bool,
}

impl Source {
    pub fn new(name: impl Into<String>) -> Self {
        Source {
            name: SourceName(name.into()),
            dependency_group: None,
            contains_duplicates: false,
        }
    }

    /// The group this source counts in for corroboration: its dependency group, or itself.
    pub fn independence_group(&self) -> &str {
        self.dependency_group
            .as_deref()
            .unwrap_or(self.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_name_prefers_the_single_field_then_document_order() {
        let mut r = Record::new("hotline", "1");
        assert_eq!(r.full_name(), None);
        r.given_name = Some("Бекболат".into());
        r.family_name = Some("Асанов".into());
        assert_eq!(r.full_name().as_deref(), Some("Асанов Бекболат"));
        r.name = Some("Bekbolat Asanov".into());
        assert_eq!(r.full_name().as_deref(), Some("Bekbolat Asanov"));
    }

    #[test]
    fn csv_row_matches_the_header() {
        let mut r = Record::new("lawyers", "L-7");
        r.citizenship = crate::parse_country_list("RU;KG").unwrap();
        r.age = "55-60".parse().ok();
        let row = r.to_csv_v1_row();
        let col = |name: &str| {
            RECORDS_CSV_V1_COLUMNS
                .iter()
                .position(|c| *c == name)
                .unwrap()
        };
        assert_eq!(row[col("citizenship")], "KG;RU");
        assert_eq!(row[col("age")], "55-60");
        assert_eq!(row[col("source")], "lawyers");
    }
}
