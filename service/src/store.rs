//! The job store: jobs, their idempotency keys and their leases, through
//! `sqlx` on SQLite (a file, the default) or PostgreSQL (several service
//! processes share one queue).
//!
//! A job is `queued`, then `running` under a lease held by one worker
//! (renewed while it proves), then `succeeded` or `failed`. A worker claims
//! the oldest queued job, or a running one whose lease expired, in one
//! statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent
//! workers never claim the same row). Every later write is conditional on
//! the worker still holding that claim (`lease_owner` and `attempts`), so
//! of two workers that ever held a job only one can record its result.
//!
//! Beside the jobs, the store keeps the withdrawal ids each client's jobs
//! prove (`zkcomply_item_ids`: one per single proof, one per item of a
//! batch), recorded with the job in one transaction, so that a batch whose
//! item id is already used is refused even when two batches race; and the
//! items a batch left out (`zkcomply_dropped_items`, with why).

use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Row};

use crate::error::ServiceError;
use crate::failure_code::FailureCode;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Accepted, waiting for a worker.
    Queued,
    /// A worker is proving it.
    Running,
    /// The bundle is ready.
    Succeeded,
    /// It cannot be proved (or was lost too many times).
    Failed,
}

impl JobState {
    /// Every state, in order.
    pub const ALL: [JobState; 4] = [Self::Queued, Self::Running, Self::Succeeded, Self::Failed];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    fn parse(name: &str) -> Result<Self, sqlx::Error> {
        Self::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown job state {name:?}").into()))
    }

    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// A job as clients see it.
#[derive(Debug, Clone)]
pub struct JobRecord {
    /// The job id.
    pub id: String,
    /// State.
    pub state: JobState,
    /// Claims so far.
    pub attempts: i64,
    /// Accepted at (unix ms).
    pub created_at_ms: i64,
    /// Last claimed at (unix ms).
    pub started_at_ms: Option<i64>,
    /// Ended at (unix ms).
    pub finished_at_ms: Option<i64>,
    /// The bundle JSON, once succeeded.
    pub bundle: Option<String>,
    /// Why it failed, once failed.
    pub error: Option<(FailureCode, String)>,
}

/// A claimed job: what a worker needs to prove it.
#[derive(Debug)]
pub struct ClaimedJob {
    /// The job id.
    pub id: String,
    /// This claim's number (1 for the first); part of the claim's identity.
    pub attempt: i64,
    /// The sealed request, or `None` when it was already purged.
    pub sealed_request: Option<Vec<u8>>,
    /// Accepted at (unix ms).
    pub created_at_ms: i64,
}

/// A new job to insert.
pub struct NewJob<'a> {
    /// The new job's id.
    pub id: &'a str,
    /// The API key's name (jobs are visible only to their key).
    pub client: &'a str,
    /// The client's `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// HMAC of the canonical request.
    pub fingerprint: &'a str,
    /// The sealed request.
    pub sealed_request: &'a [u8],
    /// The withdrawal ids the job proves, with their index in the request.
    pub items: &'a [(i64, &'a str)],
    /// Whether every id in `items` must be new for the client (a batch:
    /// otherwise the job is not stored, [`Submission::ItemsTaken`]); when
    /// false, an id already recorded keeps its first job (a single proof).
    pub exclusive_items: bool,
    /// Items of a batch left out of the job, with why.
    pub dropped: &'a [DroppedItem],
}

/// An item a batch left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedItem {
    /// Its index in the submitted list, from 0.
    pub index: i64,
    /// Its `withdrawal_id`.
    pub withdrawal_id: String,
    /// Why it was left out.
    pub reason: String,
}

/// A withdrawal id a client already used, and the job that used it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedItem {
    /// The `withdrawal_id`.
    pub withdrawal_id: String,
    /// The job that proves it.
    pub job: String,
}

/// What [`JobStore::submit`] did.
#[derive(Debug)]
pub enum Submission {
    /// A new job.
    Created(JobRecord),
    /// The same key with the same request: the earlier job.
    Replayed(JobRecord),
    /// The same key with another request.
    Conflict {
        /// The job the key belongs to.
        existing: String,
    },
    /// Too many pending jobs.
    Full {
        /// Pending jobs now.
        pending: i64,
    },
    /// An exclusive item id is already used by the client (taken by
    /// another job since it was checked); nothing was stored.
    ItemsTaken,
}

/// Who holds a claim.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// The job.
    pub job: &'a str,
    /// The worker.
    pub worker: &'a str,
    /// The claim's attempt number.
    pub attempt: i64,
}

/// The job store.
#[derive(Clone)]
pub struct JobStore {
    pool: AnyPool,
    postgres: bool,
}

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS zkcomply_jobs (
        id TEXT PRIMARY KEY,
        client TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL,
        sealed_request BYTEA,
        bundle TEXT,
        error_code TEXT,
        error_message TEXT,
        attempts BIGINT NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until BIGINT,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        UNIQUE (client, idempotency_key)
    )",
    "CREATE INDEX IF NOT EXISTS zkcomply_jobs_pending ON zkcomply_jobs (state, created_at)",
    "CREATE TABLE IF NOT EXISTS zkcomply_item_ids (
        client TEXT NOT NULL,
        withdrawal_id TEXT NOT NULL,
        job_id TEXT NOT NULL,
        item_index BIGINT NOT NULL,
        PRIMARY KEY (client, withdrawal_id)
    )",
    "CREATE INDEX IF NOT EXISTS zkcomply_item_ids_job ON zkcomply_item_ids (job_id)",
    "CREATE TABLE IF NOT EXISTS zkcomply_dropped_items (
        job_id TEXT NOT NULL,
        item_index BIGINT NOT NULL,
        withdrawal_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (job_id, item_index)
    )",
];

/// The PostgreSQL advisory lock key held (for one transaction) while the
/// schema is created: the ASCII bytes of `zkcjobs`, the same in every
/// zkcomply process.
pub const SCHEMA_LOCK_KEY: i64 = 0x007a_6b63_6a6f_6273;

const JOB_COLUMNS: &str = "id, state, attempts, created_at, started_at, finished_at, bundle, error_code, error_message";

fn job_from_row(row: &AnyRow) -> Result<JobRecord, sqlx::Error> {
    let code: Option<String> = row.try_get("error_code")?;
    let code = code
        .map(|name| {
            FailureCode::from_name(&name)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown job error code {name:?}").into()))
        })
        .transpose()?;
    // Every failure is written with a message; an absent one reads as empty.
    let message: Option<String> = row.try_get("error_message")?;
    Ok(JobRecord {
        id: row.try_get("id")?,
        state: JobState::parse(&row.try_get::<String, _>("state")?)?,
        attempts: row.try_get("attempts")?,
        created_at_ms: row.try_get("created_at")?,
        started_at_ms: row.try_get("started_at")?,
        finished_at_ms: row.try_get("finished_at")?,
        bundle: row.try_get("bundle")?,
        error: code.map(|c| (c, message.unwrap_or_default())),
    })
}

/// Milliseconds since the unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

impl JobStore {
    /// Connects to `url` and creates the table when missing (on PostgreSQL
    /// under an advisory lock, so processes may start together).
    ///
    /// # Errors
    /// [`ServiceError::Database`].
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, ServiceError> {
        sqlx::any::install_default_drivers();
        let postgres = url.starts_with("postgres");
        let mut options = AnyPoolOptions::new().max_connections(max_connections);
        if !postgres {
            // One writer at a time in SQLite; WAL lets readers go on meanwhile.
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(url).await?;
        if !postgres {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let store = Self { pool, postgres };
        store.create_schema().await?;
        Ok(store)
    }

    /// Creates the table and its index when missing. On PostgreSQL this runs
    /// in one transaction under the advisory lock [`SCHEMA_LOCK_KEY`]:
    /// processes starting together would otherwise race in the catalogs
    /// (`CREATE ... IF NOT EXISTS` is not safe against a concurrent
    /// creation), and one of them would fail to start. SQLite serialises
    /// writers itself.
    async fn create_schema(&self) -> Result<(), sqlx::Error> {
        if self.postgres {
            let mut transaction = self.pool.begin().await?;
            let lock = format!("SELECT 1 FROM pg_advisory_xact_lock({SCHEMA_LOCK_KEY})");
            sqlx::query(&lock).execute(&mut *transaction).await?;
            for statement in SCHEMA {
                sqlx::query(statement).execute(&mut *transaction).await?;
            }
            transaction.commit().await
        } else {
            for statement in SCHEMA {
                sqlx::query(&statement.replace("BYTEA", "BLOB")).execute(&self.pool).await?;
            }
            Ok(())
        }
    }

    /// Whether the store is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Queued and running jobs.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn queued_and_running(&self) -> Result<(i64, i64), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
                    COALESCE(SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0) AS running
             FROM zkcomply_jobs WHERE state IN ('queued', 'running')",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("queued")?, row.try_get("running")?))
    }

    /// The job `client` submitted under `idempotency_key`, with its request
    /// fingerprint.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn find_by_key(
        &self,
        client: &str,
        idempotency_key: &str,
    ) -> Result<Option<(JobRecord, String)>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS}, fingerprint FROM zkcomply_jobs WHERE client = $1 AND idempotency_key = $2"
        ))
        .bind(client)
        .bind(idempotency_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((job_from_row(&r)?, r.try_get("fingerprint")?))).transpose()
    }

    /// Accepts a job unless its idempotency key is taken, `max_pending`
    /// jobs are pending, `admit(queued)` says no, or (for exclusive items)
    /// one of its item ids is already used by the client. The bounds are
    /// checked before the insert, so processes admitting at the same
    /// instant may each pass them once; the job, its item ids and its
    /// dropped items are stored in one transaction.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn submit(
        &self,
        job: NewJob<'_>,
        max_pending: i64,
        admit: &(dyn Fn(i64) -> bool + Sync),
    ) -> Result<Submission, sqlx::Error> {
        for _ in 0..3 {
            if let Some((existing, fingerprint)) = self.find_by_key(job.client, job.idempotency_key).await? {
                return Ok(if fingerprint == job.fingerprint {
                    Submission::Replayed(existing)
                } else {
                    Submission::Conflict { existing: existing.id }
                });
            }
            let (queued, running) = self.queued_and_running().await?;
            let pending = queued + running;
            if pending >= max_pending || !admit(queued) {
                return Ok(Submission::Full { pending });
            }
            let mut transaction = self.pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO zkcomply_jobs (id, client, idempotency_key, fingerprint, state, sealed_request, created_at)
                 VALUES ($1, $2, $3, $4, 'queued', $5, $6)
                 ON CONFLICT (client, idempotency_key) DO NOTHING",
            )
            .bind(job.id)
            .bind(job.client)
            .bind(job.idempotency_key)
            .bind(job.fingerprint)
            .bind(job.sealed_request.to_vec())
            .bind(now_ms())
            .execute(&mut *transaction)
            .await?;
            if inserted.rows_affected() != 1 {
                // Another request with the same key won the race: look again.
                transaction.rollback().await?;
                continue;
            }
            let mut taken = false;
            for (index, withdrawal_id) in job.items {
                let recorded = sqlx::query(
                    "INSERT INTO zkcomply_item_ids (client, withdrawal_id, job_id, item_index) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (client, withdrawal_id) DO NOTHING",
                )
                .bind(job.client)
                .bind(*withdrawal_id)
                .bind(job.id)
                .bind(*index)
                .execute(&mut *transaction)
                .await?;
                if recorded.rows_affected() != 1 && job.exclusive_items {
                    taken = true;
                    break;
                }
            }
            if taken {
                transaction.rollback().await?;
                return Ok(Submission::ItemsTaken);
            }
            for item in job.dropped {
                sqlx::query(
                    "INSERT INTO zkcomply_dropped_items (job_id, item_index, withdrawal_id, reason)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(job.id)
                .bind(item.index)
                .bind(item.withdrawal_id.as_str())
                .bind(item.reason.as_str())
                .execute(&mut *transaction)
                .await?;
            }
            transaction.commit().await?;
            let created = self.get(job.id, job.client).await?.ok_or(sqlx::Error::RowNotFound)?;
            return Ok(Submission::Created(created));
        }
        Err(sqlx::Error::Protocol("the idempotency key changed hands three times in a row".into()))
    }

    /// Which of `withdrawal_ids` `client` already used, with the job of each
    /// (in no particular order).
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn used_item_ids(&self, client: &str, withdrawal_ids: &[&str]) -> Result<Vec<UsedItem>, sqlx::Error> {
        let mut used = Vec::new();
        // A batch has at most 16 items: one statement per 64 keeps the
        // placeholders few whatever the caller passes.
        for chunk in withdrawal_ids.chunks(64) {
            let placeholders = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT withdrawal_id, job_id FROM zkcomply_item_ids WHERE client = $1 AND withdrawal_id IN ({placeholders})"
            );
            let mut query = sqlx::query(&sql).bind(client);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&self.pool).await? {
                used.push(UsedItem { withdrawal_id: row.try_get("withdrawal_id")?, job: row.try_get("job_id")? });
            }
        }
        Ok(used)
    }

    /// The items job `id` left out, by index.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn dropped_items(&self, id: &str) -> Result<Vec<DroppedItem>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT item_index, withdrawal_id, reason FROM zkcomply_dropped_items WHERE job_id = $1 ORDER BY item_index",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DroppedItem {
                    index: r.try_get("item_index")?,
                    withdrawal_id: r.try_get("withdrawal_id")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    /// The indices, in the submitted list, of the items job `id` proves, in
    /// the order of its stored request.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn item_indices(&self, id: &str) -> Result<Vec<i64>, sqlx::Error> {
        let rows = sqlx::query("SELECT item_index FROM zkcomply_item_ids WHERE job_id = $1 ORDER BY item_index")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get("item_index")).collect()
    }

    /// The job `id` if it belongs to `client`.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn get(&self, id: &str, client: &str) -> Result<Option<JobRecord>, sqlx::Error> {
        sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM zkcomply_jobs WHERE id = $1 AND client = $2"))
            .bind(id)
            .bind(client)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| job_from_row(&r))
            .transpose()
    }

    /// Fails the running jobs whose lease expired after `max_attempts`
    /// claims (their workers died each time); returns how many.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn fail_exhausted(&self, max_attempts: i64) -> Result<u64, sqlx::Error> {
        let now = now_ms();
        Ok(sqlx::query(
            "UPDATE zkcomply_jobs SET state = 'failed', error_code = $3, sealed_request = NULL,
                 error_message = 'the workers proving this job stopped ' || CAST(attempts AS TEXT) || ' times',
                 finished_at = $1, lease_owner = NULL, lease_until = NULL
             WHERE state = 'running' AND lease_until < $1 AND attempts >= $2",
        )
        .bind(now)
        .bind(max_attempts)
        .bind(FailureCode::Lost.name())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Claims the oldest queued job, or a running one whose lease expired
    /// after fewer than `max_attempts` claims, for `worker` until now +
    /// `lease_ms`.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn claim(
        &self,
        worker: &str,
        lease_ms: i64,
        max_attempts: i64,
    ) -> Result<Option<ClaimedJob>, sqlx::Error> {
        let now = now_ms();
        let lock = if self.postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
        let claimable = "(state = 'queued' OR (state = 'running' AND lease_until < $3 AND attempts < $4))";
        let row = sqlx::query(&format!(
            "UPDATE zkcomply_jobs
             SET state = 'running', attempts = attempts + 1, lease_owner = $1, lease_until = $2, started_at = $3
             WHERE id = (SELECT id FROM zkcomply_jobs WHERE {claimable} ORDER BY created_at, id LIMIT 1 {lock})
               AND {claimable}
             RETURNING id, attempts, sealed_request, created_at"
        ))
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .bind(max_attempts)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ClaimedJob {
                id: r.try_get("id")?,
                attempt: r.try_get("attempts")?,
                sealed_request: r.try_get("sealed_request")?,
                created_at_ms: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    /// `UPDATE ... SET {set}` on the job if `claim` still holds it;
    /// `set_params` placeholders of `set` are bound by `bind_set`, the
    /// claim's three after them. True when the claim held.
    async fn update_claimed(
        &self,
        claim: Claim<'_>,
        set: &str,
        set_params: usize,
        bind_set: impl for<'q> FnOnce(Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>>,
    ) -> Result<bool, sqlx::Error> {
        let (job, worker, attempt) = (set_params + 1, set_params + 2, set_params + 3);
        let sql = format!(
            "UPDATE zkcomply_jobs SET {set}
             WHERE id = ${job} AND lease_owner = ${worker} AND attempts = ${attempt} AND state = 'running'"
        );
        let query = bind_set(sqlx::query(&sql)).bind(claim.job).bind(claim.worker).bind(claim.attempt);
        Ok(query.execute(&self.pool).await?.rows_affected() == 1)
    }

    /// Extends the claim's lease to now + `lease_ms`; false when the claim
    /// was lost.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn renew(&self, claim: Claim<'_>, lease_ms: i64) -> Result<bool, sqlx::Error> {
        let until = now_ms() + lease_ms;
        self.update_claimed(claim, "lease_until = $1", 1, |q| q.bind(until)).await
    }

    /// Records the bundle and purges the request; false when the claim was
    /// lost (the result is then not recorded).
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn succeed(&self, claim: Claim<'_>, bundle: &str) -> Result<bool, sqlx::Error> {
        let (bundle, now) = (bundle.to_string(), now_ms());
        self.update_claimed(
            claim,
            "state = 'succeeded', bundle = $1, sealed_request = NULL, finished_at = $2,
             lease_owner = NULL, lease_until = NULL",
            2,
            |q| q.bind(bundle).bind(now),
        )
        .await
    }

    /// Records why the job cannot be proved and purges the request; false
    /// when the claim was lost.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn fail(&self, claim: Claim<'_>, code: FailureCode, message: &str) -> Result<bool, sqlx::Error> {
        let (code, message, now) = (code.name(), message.to_string(), now_ms());
        self.update_claimed(
            claim,
            "state = 'failed', error_code = $1, error_message = $2, sealed_request = NULL, finished_at = $3,
             lease_owner = NULL, lease_until = NULL",
            3,
            |q| q.bind(code).bind(message).bind(now),
        )
        .await
    }

    /// Puts a claimed job back in the queue without counting the claim (a
    /// shutdown that could not wait for it); false when the claim was lost.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn release(&self, claim: Claim<'_>) -> Result<bool, sqlx::Error> {
        self.update_claimed(
            claim,
            "state = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL",
            0,
            |q| q,
        )
        .await
    }

    /// Jobs per state.
    ///
    /// # Errors
    /// [`sqlx::Error`].
    pub async fn count_by_state(&self) -> Result<Vec<(JobState, i64)>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT state, COUNT(*) AS n FROM zkcomply_jobs GROUP BY state").fetch_all(&self.pool).await?;
        let mut counts: Vec<(JobState, i64)> = JobState::ALL.iter().map(|s| (*s, 0)).collect();
        for row in rows {
            let state = JobState::parse(&row.try_get::<String, _>("state")?)?;
            let n: i64 = row.try_get("n")?;
            if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == state) {
                entry.1 = n;
            }
        }
        Ok(counts)
    }
}
