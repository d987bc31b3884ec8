//! `/import`: upload a CSV or XLSX file, see every problem at its row and column or a preview of
//! the clean file read through the mapping, then confirm. Nothing is imported until the whole
//! file is clean; the checked file waits in memory (never on disk) until confirmed.

use super::records::opt;
use super::{PageResult, layout, render};
use crate::App;
use crate::auth::{Ctx, random_token};
use crate::i18n::{Lang, fill, lookup, t, tf};
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use recount_import::ProblemKind;
use recount_store::accounts::UserId;
use recount_types::Record;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a checked file waits for its confirmation.
const PENDING_FOR: Duration = Duration::from_secs(30 * 60);

/// A checked, clean upload waiting for its confirmation.
pub struct Upload {
    pub user: UserId,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub source: String,
    pub mapping: Option<String>,
    pub records: usize,
    pub at: Instant,
}

/// Clean uploads by token.
#[derive(Default)]
pub struct Pending {
    uploads: Mutex<HashMap<String, Upload>>,
}

impl Pending {
    fn put(&self, upload: Upload) -> String {
        let token = random_token();
        let mut map = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, u| u.at.elapsed() < PENDING_FOR);
        map.insert(token.clone(), upload);
        token
    }

    fn take(&self, token: &str, user: UserId) -> Option<Upload> {
        let mut map = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        let fits = map
            .get(token)
            .is_some_and(|u| u.user == user && u.at.elapsed() < PENDING_FOR);
        if fits { map.remove(token) } else { None }
    }
}

/// One problem of an uploaded file, located.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The row as a spreadsheet shows it (the header is row 1).
    pub row: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
    /// A stable code: the importer's (`recount import --json` gives the same), or the desk's
    /// own (`more_problems`, `upload_unreadable`, `import_failed`).
    pub code: String,
    /// In English, as `recount import` words it.
    pub message: String,
    pub expected: Option<String>,
    /// How the page words it in the reader's language.
    #[serde(skip)]
    pub words: Words,
}

/// What a problem's message is made of, for wording it in any language.
#[derive(Debug, Clone)]
pub enum Words {
    /// The importer's problem: the catalogue's `problem.<code>` and `problem.<code>.expected`
    /// with the kind's parameters, and a `problem.note.<note>` for each of its notes.
    Import(ProblemKind),
    /// The desk's own message: the catalogue's `import.problem.<code>` with these values.
    Desk(Vec<(&'static str, String)>),
}

impl Problem {
    /// The message and the expected form in `lang`; the English words of `recount import` for
    /// a code the catalogue does not word.
    pub fn worded(&self, lang: Lang) -> (String, Option<String>) {
        match &self.words {
            Words::Import(kind) => {
                let args = kind.params();
                let key = format!("problem.{}", kind.code());
                let Some(message) = lookup(lang, &key) else {
                    return (self.message.clone(), self.expected.clone());
                };
                let mut expected: Vec<String> = lookup(lang, &format!("{key}.expected"))
                    .into_iter()
                    .chain(
                        kind.notes()
                            .into_iter()
                            .filter_map(|n| lookup(lang, &format!("problem.note.{n}"))),
                    )
                    .map(|s| fill(s, &args))
                    .collect();
                expected.retain(|e| !e.is_empty());
                let expected = (!expected.is_empty()).then(|| expected.join("; "));
                (fill(message, &args), expected)
            }
            Words::Desk(args) => {
                let key = format!("import.problem.{}", self.code);
                (fill(t(lang, &key), args), None)
            }
        }
    }
}

/// What checking a file found.
pub enum Checked {
    Clean(Vec<Record>),
    Problems(Vec<Problem>),
}

/// Reads and validates a file with the importer, as `recount import` does.
pub fn check_file(
    file_name: &str,
    bytes: &[u8],
    source: &str,
    mapping: Option<&str>,
    vocabulary: &recount_types::EventVocabulary,
) -> Checked {
    crate::ingest::check(file_name, bytes, source, mapping, vocabulary)
}

fn form(lang: Lang, csrf: &str) -> Markup {
    html! {
        form.stack method="post" action="/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf_token" value=(csrf);
            label for="file" { (t(lang, "import.file")) }
            input #file type="file" name="file" accept=".csv,.xlsx,text/csv" required;
            label for="source" { (t(lang, "import.source")) }
            input #source name="source" pattern="[^\\s].*";
            div.hint { (t(lang, "import.source_hint")) }
            label for="mapping" { (t(lang, "import.mapping")) }
            textarea #mapping name="mapping" rows="4" cols="60" {}
            p { button type="submit" { (t(lang, "import.check")) } }
        }
    }
}

pub async fn page(ctx: Ctx) -> PageResult {
    let lang = ctx.lang;
    let body = html! {
        h1 { (t(lang, "import.title")) }
        p.intro { (t(lang, "import.intro")) }
        (form(lang, ctx.csrf()))
    };
    Ok(render(layout(&ctx, &t(lang, "import.title"), body)))
}

/// The fields of the upload form.
#[derive(Default)]
pub struct UploadForm {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub source: String,
    pub mapping: Option<String>,
}

/// Reads the multipart upload form.
pub async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, String> {
    let mut out = UploadForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        match field.name() {
            Some("file") => {
                out.file_name = field.file_name().unwrap_or("upload").to_owned();
                out.bytes = field.bytes().await.map_err(|e| e.body_text())?.to_vec();
            }
            Some("source") => out.source = field.text().await.map_err(|e| e.body_text())?,
            Some("mapping") => {
                let m = field.text().await.map_err(|e| e.body_text())?;
                out.mapping = (!m.trim().is_empty()).then_some(m);
            }
            _ => {}
        }
    }
    Ok(out)
}

pub async fn check(State(app): State<App>, ctx: Ctx, multipart: Multipart) -> PageResult {
    let lang = ctx.lang;
    let user = ctx.user()?.id;
    let upload = match read_upload(multipart).await {
        Ok(u) => u,
        Err(_) => {
            return Ok(result_page(
                &ctx,
                StatusCode::BAD_REQUEST,
                html! { p.notice.bad role="alert" { (t(lang, "import.bad_upload")) } },
            ));
        }
    };
    if upload.bytes.is_empty() {
        return Ok(result_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            html! { p.notice.bad role="alert" { (t(lang, "import.no_file")) } },
        ));
    }
    let vocabulary = app.db.call(|s| s.event_vocabulary()).await?;
    let UploadForm {
        file_name,
        bytes,
        source,
        mapping,
    } = upload;
    let source = source.trim().to_owned();
    let (checked, bytes, file_name, source, mapping) = tokio::task::spawn_blocking(move || {
        let c = check_file(&file_name, &bytes, &source, mapping.as_deref(), &vocabulary);
        (c, bytes, file_name, source, mapping)
    })
    .await
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    match checked {
        Checked::Problems(problems) => Ok(result_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            problems_table(lang, &problems),
        )),
        Checked::Clean(records) => {
            let n = records.len();
            let token = app.pending.put(Upload {
                user,
                file_name,
                bytes,
                source,
                mapping,
                records: n,
                at: Instant::now(),
            });
            let body = html! {
                p.notice.good role="status" { (tf(lang, "import.preview", &[("n", &n.to_string())])) }
                (preview(lang, &records[..n.min(10)]))
                form method="post" action="/import/confirm" {
                    input type="hidden" name="csrf_token" value=(ctx.csrf());
                    input type="hidden" name="upload" value=(token);
                    button type="submit" { (tf(lang, "import.confirm", &[("n", &n.to_string())])) }
                }
            };
            Ok(result_page(&ctx, StatusCode::OK, body))
        }
    }
}

fn result_page(ctx: &Ctx, status: StatusCode, result: Markup) -> axum::response::Response {
    let lang = ctx.lang;
    let body = html! {
        h1 { (t(lang, "import.title")) }
        div #import-result { (result) }
        (form(lang, ctx.csrf()))
    };
    let mut r = render(layout(ctx, &t(lang, "import.title"), body));
    *r.status_mut() = status;
    r
}

pub fn problems_table(lang: Lang, problems: &[Problem]) -> Markup {
    html! {
        p.notice.bad role="alert" { (tf(lang, "import.problems", &[("n", &problems.len().to_string())])) }
        table.problems {
            thead { tr {
                th.num { (t(lang, "import.problem.row")) }
                th { (t(lang, "import.problem.column")) }
                th { (t(lang, "import.problem.value")) }
                th { (t(lang, "import.problem.message")) }
                th { (t(lang, "import.problem.expected")) }
            } }
            tbody { @for p in problems {
                @let (message, expected) = p.worded(lang);
                tr data-code=(p.code) {
                    td.num { (opt(p.row.as_ref())) }
                    td { (p.column.as_deref().unwrap_or("")) }
                    td { (p.value.as_deref().unwrap_or("")) }
                    td { (message) }
                    td { (expected.as_deref().unwrap_or("")) }
                }
            } }
        }
    }
}

fn preview(lang: Lang, records: &[Record]) -> Markup {
    html! {
        table.preview {
            thead { tr {
                @for key in ["field.source", "field.record_id", "field.name", "field.event", "field.event_date", "field.place", "field.informant"] {
                    th { (t(lang, key)) }
                }
            } }
            tbody { @for r in records { tr {
                td { (r.source) } td { (r.record_id) } td { (r.full_name().unwrap_or_default()) }
                td { (r.event.as_ref().map(|e| super::event_label(lang, e.as_str())).unwrap_or_default()) } td { (opt(r.event_date.as_ref())) }
                td { (r.place.as_deref().unwrap_or("")) }
                td { (r.informant.map(|i| super::informant_label(lang, i)).unwrap_or_default()) }
            } } }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Confirm {
    upload: String,
}

pub async fn confirm(State(app): State<App>, ctx: Ctx, Form(form): Form<Confirm>) -> PageResult {
    let lang = ctx.lang;
    let user = ctx.user()?.id;
    let Some(upload) = app.pending.take(&form.upload, user) else {
        return Ok(result_page(
            &ctx,
            StatusCode::GONE,
            html! { p.notice.bad role="alert" { (t(lang, "import.expired")) } },
        ));
    };
    match import(&app, user, upload).await? {
        Ok(n) => Ok(result_page(
            &ctx,
            StatusCode::OK,
            html! { p.notice.good role="status" { (tf(lang, "import.done", &[("n", &n.to_string())])) } },
        )),
        Err(problems) => Ok(result_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            problems_table(lang, &problems),
        )),
    }
}

/// Imports a checked upload in one transaction and writes the audit line. Problems the store
/// finds (a record that changed since an earlier import) come back and nothing is written.
pub async fn import(
    app: &App,
    user: UserId,
    upload: Upload,
) -> Result<Result<u64, Vec<Problem>>, recount_store::StoreError> {
    let result = app
        .db
        .call(move |s| {
            let result = crate::ingest::import(s, &upload)?;
            if let Ok(n) = &result {
                s.append_audit(
                    Some(user),
                    "import",
                    &format!("{n} records, {} rows", upload.records),
                )?;
            }
            Ok(result)
        })
        .await?;
    if result.is_ok() {
        // The import emptied the name cache; fill it again in the background.
        crate::warm::spawn(app);
    }
    Ok(result)
}
