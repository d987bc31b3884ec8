//! The **link** step over the project database: every stored record, the saved model and the
//! reviewers' decisions in; scored pairs (with the weights behind each), persons (ids kept
//! stable where their clusters did not change), the trained model and the review queue out.

use crate::PipelineError;
use recount_link::{
    Blocking, BlockingConfig, COMPARISONS, ClusterMethod, Comparison, Dataset, DatasetBuilder,
    Decision, DedupePolicy, LinkConfig, Model, Pair, StageTimes, TrainingOutcome, Verdict, block,
    explain_gamma, probability, review_queue, stable_person_ids,
};
use recount_store::Store;
use recount_store::linkage::{LinkageRunInfo, PersonCluster, ScoredPair};
use recount_types::{PersonId, RecordId, RecordKey};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The match probabilities of the pairs offered for review by default: the linkage cannot
/// decide them on its own.
pub const REVIEW_BAND: (f64, f64) = (0.05, 0.95);

/// Settings of a linkage run over the project database.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRequest {
    /// Pairs above this match probability are evidence for "same person".
    pub threshold: f64,
    /// Seed of every random step.
    pub seed: u64,
    /// Pairs whose probability lies in this band are offered for review.
    pub review_band: (f64, f64),
    /// At most this many pairs are queued for review (the most consequential ones).
    pub review_limit: usize,
    /// Pairs below this probability are not stored unless they are in one person or queued for
    /// review (they are evidence of nothing, and there are many).
    pub store_floor: f64,
}

impl Default for LinkRequest {
    fn default() -> Self {
        LinkRequest {
            threshold: 0.5,
            seed: 42,
            review_band: REVIEW_BAND,
            review_limit: 10_000,
            store_floor: 0.01,
        }
    }
}

/// What a linkage run did, in counts (never a name).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkOutcome {
    pub records: u64,
    pub persons: u64,
    /// Persons that kept their id from the previous run.
    pub persons_kept: u64,
    pub candidate_pairs: u64,
    /// Candidate pairs whose records ended in one person.
    pub linked_pairs: u64,
    pub stored_pairs: u64,
    /// Pairs now waiting for a reviewer.
    pub review_queue: u64,
    /// Review decisions honoured as constraints and labels.
    pub decisions: u64,
    /// `None` when this run trained the model; else why the previous model was kept.
    pub training_failure: Option<String>,
    pub model_revision: u32,
    /// Which clustering ran, in words.
    pub clustering: &'static str,
    /// `correlation_gaec` or `connected_components`.
    pub clustering_method: &'static str,
    /// Merges the clustering refused: two records of a source that lists each person once;
    /// and pairs blocking had not proposed that, scored, said "different".
    pub refused_same_source_merges: u64,
    pub refused_unproposed_merges: u64,
    pub warnings: Vec<String>,
    pub times: StageTimes,
}

/// Reports the stage a long run is in.
pub trait LinkProgress {
    fn stage(&mut self, stage: &str);
}

impl LinkProgress for () {
    fn stage(&mut self, _: &str) {}
}

/// The project's records prepared for linkage, with their database ids, keys and current
/// persons, all in dataset order.
struct Loaded {
    ds: Dataset,
    ids: Vec<RecordId>,
    keys: Vec<RecordKey>,
    previous: BTreeMap<RecordKey, PersonId>,
}

fn load(store: &Store) -> Result<Loaded, PipelineError> {
    let dedupe = DedupePolicy::marked(store.sources()?.iter().map(|(_, s)| s));
    let mut builder = DatasetBuilder::new();
    let mut ids: Vec<RecordId> = Vec::new();
    let mut keys: Vec<RecordKey> = Vec::new();
    let mut previous: BTreeMap<RecordKey, PersonId> = BTreeMap::new();
    store.for_each_record(|r| {
        builder.push(&r.record);
        let key = r.record.key();
        if let Some(p) = r.person {
            previous.insert(key.clone(), p);
        }
        ids.push(r.id);
        keys.push(key);
        Ok::<_, PipelineError>(())
    })?;
    let ds = builder.finish(&dedupe);
    Ok(Loaded {
        ds,
        ids,
        keys,
        previous,
    })
}

/// Counts the candidate pairs each blocking rule would make over the project's records, linking
/// nothing: (records, linkable pairs, the blocking, its block-size cap).
pub fn plan(store: &Store) -> Result<(usize, f64, Blocking, BlockingConfig), PipelineError> {
    let loaded = load(store)?;
    let cfg = BlockingConfig::default();
    let b = block(&loaded.ds, cfg);
    Ok((loaded.ds.len(), loaded.ds.linkable_pairs(), b, cfg))
}

/// Links every record in the project database and replaces the stored persons and pairs with
/// the result, in one transaction.
pub fn run(
    store: &mut Store,
    request: &LinkRequest,
    progress: &mut dyn LinkProgress,
) -> Result<LinkOutcome, PipelineError> {
    progress.stage("reading records");
    let Loaded {
        ds,
        ids,
        keys,
        previous,
    } = load(store)?;

    let index_of: HashMap<RecordId, usize> =
        ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let decisions: Vec<Decision> = store
        .review_decisions()?
        .into_iter()
        .filter_map(|d| {
            let (a, b) = (index_of.get(&d.a)?, index_of.get(&d.b)?);
            Some(Decision {
                left: keys[*a].clone(),
                right: keys[*b].clone(),
                verdict: d.decision.parse::<Verdict>().ok()?,
                reviewer: d.reviewer,
                decided_at: d.decided_at,
            })
        })
        .collect();

    let mut model_warning = None;
    let previous_model = match store.latest_linkage_model()? {
        Some(saved) => Model::from_json(&saved.json).unwrap_or_else(|e| {
            model_warning = Some(format!(
                "the saved linkage model {} could not be read ({e}); training started from the defaults",
                saved.id
            ));
            Model::default()
        }),
        None => Model::default(),
    };

    progress.stage("linking (block, compare, train, score, cluster)");
    let mut cfg = LinkConfig::with_seed(request.seed);
    cfg.threshold = request.threshold;
    let run = recount_link::link(&ds, &previous_model, &decisions, &cfg);

    progress.stage("ordering the review queue");
    let total: Vec<f32> = run
        .weights
        .iter()
        .zip(&run.one_to_one)
        .map(|(a, b)| a + b)
        .collect();
    let queue = review_queue(
        &ds,
        &run.blocking.pairs,
        &total,
        &run.clustering,
        &run.decisions.decided,
        request.threshold,
        request.review_band,
        request.review_limit,
    );
    let priority: HashMap<Pair, f64> = queue
        .iter()
        .map(|q| (q.pair, q.expected_change.max(f64::MIN_POSITIVE)))
        .collect();

    progress.stage("saving persons and pairs");
    let together = |p: &Pair| {
        run.clustering.cluster_of[p.a as usize] == run.clustering.cluster_of[p.b as usize]
    };
    let mut pairs = Vec::new();
    let mut linked = 0u64;
    for (k, p) in run.blocking.pairs.iter().enumerate() {
        let prob = probability(total[k]);
        let in_person = together(p);
        linked += u64::from(in_person);
        let queued = priority.get(p).copied();
        if prob < request.store_floor && !in_person && queued.is_none() {
            continue;
        }
        let e = explain_gamma(&ds, &run.model, *p, &run.gammas[k]);
        let mut weights: Vec<(String, f64)> = Vec::with_capacity(COMPARISONS + 3);
        weights.push(("prior".to_owned(), e.prior));
        for (c, cmp) in e.contributions.iter().zip(Comparison::ALL) {
            weights.push((cmp.as_str().to_owned(), c.weight));
        }
        weights.push(("name_term_frequency".to_owned(), e.term_frequency));
        weights.push(("one_to_one".to_owned(), f64::from(run.one_to_one[k])));
        pairs.push(ScoredPair {
            a: ids[p.a as usize],
            b: ids[p.b as usize],
            score: prob,
            weights,
            review_priority: queued,
        });
    }

    let clusters = run.clustering.clusters();
    let cluster_keys: Vec<Vec<RecordKey>> = clusters
        .iter()
        .map(|c| c.iter().map(|&i| keys[i as usize].clone()).collect())
        .collect();
    let stable = stable_person_ids(&previous, &cluster_keys);
    let known: BTreeSet<PersonId> = previous.values().copied().collect();
    let persons: Vec<PersonCluster> = clusters
        .iter()
        .zip(&stable)
        .map(|(members, id)| PersonCluster {
            keep: known.contains(id).then_some(*id),
            records: members.iter().map(|&i| ids[i as usize]).collect(),
        })
        .collect();

    let (training_failure, trained_model) = match &run.training {
        TrainingOutcome::Trained(_) => (
            None,
            Some((i64::from(run.model.revision), run.model.to_json())),
        ),
        TrainingOutcome::KeptPrevious(why) => (Some(why.to_string()), None),
    };
    let method = match run.clustering.method {
        ClusterMethod::CorrelationGaec => "correlation_gaec",
        _ => "connected_components",
    };
    let saved = store.save_linkage(
        &LinkageRunInfo {
            records: ds.len() as u64,
            threshold: request.threshold,
            seed: request.seed,
            method: method.to_owned(),
            trained_model,
        },
        &pairs,
        &persons,
    )?;
    Ok(LinkOutcome {
        records: ds.len() as u64,
        persons: saved.persons,
        persons_kept: saved.persons_kept,
        candidate_pairs: run.blocking.pairs.len() as u64,
        linked_pairs: linked,
        stored_pairs: saved.pairs,
        review_queue: queue.len() as u64,
        decisions: (run.decisions.constraints.len()) as u64,
        training_failure,
        model_revision: run.model.revision,
        clustering: run.clustering.method.description(),
        clustering_method: method,
        refused_same_source_merges: run.clustering.refused_same_source,
        refused_unproposed_merges: run.clustering.refused_unproposed,
        warnings: model_warning.into_iter().chain(run.warnings).collect(),
        times: run.times,
    })
}
