//! The project database as the async server sees it: a small pool of open [`Store`]s, each call
//! run on tokio's blocking threads so a slow query never stalls the server.

use recount_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How many idle connections are kept open.
const IDLE: usize = 8;

/// A handle to the project database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Db {
    /// Opens the database at `path` (which must exist), applying any migration it lacks.
    pub fn open(path: &Path) -> Result<Db, StoreError> {
        let first = Store::open(path)?;
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                idle: Mutex::new(vec![first]),
            }),
        })
    }

    /// Runs `f` with a store on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let inner = self.inner.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let pooled = inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut store = match pooled {
                Some(s) => s,
                None => Store::open(&inner.path)?,
            };
            let out = f(&mut store);
            let mut idle = inner.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < IDLE {
                idle.push(store);
            }
            out
        })
        .await;
        match joined {
            Ok(out) => out,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}
