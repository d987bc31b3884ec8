//! The project database as the async server sees it: a pool of at most [`CONNECTIONS`] open
//! [`Store`]s, each call run on tokio's blocking threads so a slow query never stalls the server.
//! A call waits for a free connection rather than opening more: opening one runs the schema
//! check, and each holds its own page cache (8 MiB: the operating system's file cache is the
//! shared one).

use recount_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// The most connections open at once.
pub const CONNECTIONS: usize = 8;

/// A handle to the project database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    permits: Semaphore,
}

impl Db {
    /// Opens the database at `path` (which must exist), applying any migration it lacks.
    pub fn open(path: &Path) -> Result<Db, StoreError> {
        let first = Store::open(path)?;
        first.tune_for_serving()?;
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                idle: Mutex::new(vec![first]),
                permits: Semaphore::new(CONNECTIONS),
            }),
        })
    }

    /// Runs `f` with a store on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        // The semaphore is never closed, so acquiring only waits.
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .expect("the pool's semaphore is open");
        let inner = self.inner.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let pooled = inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut store = match pooled {
                Some(s) => s,
                None => {
                    let s = Store::open(&inner.path)?;
                    s.tune_for_serving()?;
                    s
                }
            };
            let out = f(&mut store);
            inner
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(store);
            out
        })
        .await;
        match joined {
            Ok(out) => out,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}
