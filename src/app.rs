//! Putting the service together: data dir, migrations, database threads, router, listener,
//! and a graceful stop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::response::IntoResponse;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::password::PasswordHasher;
use crate::auth::policy::{self, PolicyTable};
use crate::auth::throttle::Throttle;
use crate::auth::token::TokenKeys;
use crate::auth::{self, Auth};
use crate::config::Config;
use crate::datadir::DataDir;
use crate::db::{Db, DbOptions, migrations};
use crate::http::hosts::AllowedHosts;
use crate::http::{self, errors, json::MAX_JSON_BODY, openapi, openapi::ApiDoc, serve, static_files};
use crate::observe::{self, Metrics, MetricsAccess};
use crate::settings::{self, SharedSettings};
use crate::tls;
use crate::users::{self, Bootstrap};
use crate::{
    audit, backup, customers, health, inventory, maintenance, orders, payments, price_levels, products, purchasing,
    receivables, reports, returns, shipping, stats, transfer,
};

/// What every handler can reach: one `Arc`, so the several clones each request makes (one per
/// layer and extractor that takes the state) cost one atomic increment each.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub auth: Arc<Auth>,
    pub settings: SharedSettings,
    pub started: Instant,
    /// Mark session cookies Secure (when serving HTTPS).
    pub secure_cookies: bool,
    pub backups: Backups,
    pub metrics: Arc<Metrics>,
    pub metrics_access: Arc<MetricsAccess>,
    /// Product list pages as sent, while no product changes (see products::cache).
    pub product_pages: products::cache::PageCache,
    /// Single products as sent, likewise.
    pub one_product: products::cache::ProductCache,
    /// How long a request body may stop arriving (see http::serve::limit_body).
    pub body_timeout: Duration,
    /// CSV imports running in this process.
    pub imports: Arc<transfer::jobs::Jobs>,
    /// On while a backup is being restored: every API request gets 503.
    pub maintenance: Arc<http::maintenance::Maintenance>,
}

/// Where backups go and how the latest ones went.
#[derive(Clone)]
pub struct Backups {
    pub dir: std::path::PathBuf,
    pub status: backup::SharedStatus,
}

/// The API's routes with their OpenAPI document. Each capability brings its own routes.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::routes::router())
        .merge(users::routes::router())
        .merge(products::routes::router())
        .merge(customers::routes::router())
        .merge(inventory::routes::router())
        .merge(orders::routes::router())
        .merge(payments::routes::router())
        .merge(shipping::routes::router())
        .merge(returns::routes::router())
        .merge(purchasing::routes::router())
        .merge(price_levels::routes::router())
        .merge(receivables::routes::router())
        .merge(stats::router())
        .merge(reports::routes::router())
        .merge(transfer::routes::router())
        .merge(backup::routes::router())
        .merge(maintenance::routes::router())
        .merge(audit::routes::router())
        .merge(settings::routes::router())
        .split_for_parts();
    openapi::add_common_responses(&mut doc);
    openapi::add_csv_alternatives(&mut doc);
    (router, doc)
}

/// The whole HTTP application: API behind its access policies, docs, and the embedded UI.
pub fn router(state: AppState) -> anyhow::Result<Router> {
    let (api, doc) = api();
    let body_timeout = state.body_timeout;
    let maintenance = state.maintenance.clone();
    let metrics = state.metrics.clone();
    let scrape = Router::new()
        .route("/metrics", axum::routing::get(observe::routes::metrics))
        .with_state(state.clone());
    let table = PolicyTable::from_openapi(&doc).map_err(anyhow::Error::msg)?;
    let doc_json = openapi_json(&doc)?;
    drop(doc);
    let api = api
        .route_layer(middleware::from_fn_with_state(
            (state.clone(), Arc::new(table)),
            policy::enforce,
        ))
        .with_state(state);
    let mut app = Router::new()
        .merge(api)
        .merge(scrape)
        .route(
            OPENAPI_JSON,
            axum::routing::get(move || std::future::ready(doc_json.clone())),
        )
        .merge(SwaggerUi::new("/api/docs").config(utoipa_swagger_ui::Config::from(OPENAPI_JSON)))
        .fallback(static_files::serve)
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            // A bug must still answer (JSON 500, logged), not drop the connection.
            crate::error::AppError::Internal("a request handler panicked".into()).into_response()
        }))
        .layer(middleware::map_response(errors::json_errors))
        .layer(middleware::from_fn_with_state(body_timeout, serve::limit_body))
        .layer(middleware::from_fn_with_state(
            maintenance,
            http::maintenance::refuse_while_on,
        ))
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    for layer in http::security_headers() {
        app = app.layer(layer);
    }
    Ok(app.layer(middleware::from_fn_with_state(metrics, observe::requests::observe)))
}

const OPENAPI_JSON: &str = "/api/openapi.json";

/// The OpenAPI document as served, serialised once. The document itself is a tree of ~2 MB of
/// small allocations for 80 KB of JSON: kept for the docs, it was most of an idle server's heap.
fn openapi_json(doc: &utoipa::openapi::OpenApi) -> anyhow::Result<impl IntoResponse + Clone + use<>> {
    let body = axum::body::Bytes::from(serde_json::to_vec(doc)?);
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body))
}

/// Everything `serve` needs before it listens, and what the first start did.
pub struct Prepared {
    pub state: AppState,
    /// The data dir's lock, held while the server runs.
    pub lock: std::fs::File,
    pub data_dir: DataDir,
    pub applied_migrations: Vec<i32>,
    pub bootstrap: Bootstrap,
}

/// Prepares the data dir, applies migrations, starts the database threads and makes sure the
/// built-in administrator exists.
pub async fn prepare(config: &Config) -> anyhow::Result<Prepared> {
    let data_dir = DataDir::prepare(&config.data_dir)?;
    let secret = match &config.jwt_secret {
        Some(secret) => {
            if secret.len() < 32 {
                tracing::warn!("SECRET_KEY is shorter than 32 bytes; a longer random secret is safer");
            }
            secret.clone()
        }
        None => data_dir.load_or_create_secret()?,
    };
    let lock = data_dir.try_lock()?;
    let db_path = data_dir.db_path();
    let backup_dir = config
        .backup_dir
        .clone()
        .unwrap_or_else(|| data_dir.default_backup_dir());
    // What interrupted backups and restores left behind (none can be running: we hold the lock).
    backup::clean_stale_partials(&backup_dir);
    crate::backup::restore::clean_staging(&data_dir);
    let applied = match &config.database {
        // Backups of a PostgreSQL database are its own tools' (pg_dump, point-in-time recovery).
        Some(url) => {
            let url = url.clone();
            tokio::task::spawn_blocking(move || crate::db::postgres::migrate(&url)).await??
        }
        None => {
            let (path, dir) = (db_path.clone(), backup_dir.clone());
            let applied = tokio::task::spawn_blocking(move || migrate_with_backup(&path, &dir))
                .await?
                .with_context(|| format!("cannot prepare the database {}", db_path.display()))?;
            data_dir.restrict_db_files()?;
            applied
        }
    };
    let mut options = DbOptions::new(&db_path);
    options.readers = config.db_readers;
    options.postgres = config.database.clone();
    let place = match &config.database {
        Some(url) => crate::db::postgres::place(url),
        None => db_path.display().to_string(),
    };
    let db = Db::open(&options).with_context(|| format!("cannot open the database {place}"))?;
    let auth = Arc::new(Auth {
        keys: TokenKeys::new(secret.as_bytes(), config.token_ttl),
        hasher: PasswordHasher::new(config.bcrypt_cost),
        // Several servers on PostgreSQL must meet one count; one server on SQLite keeps it here.
        throttle: match db.is_postgres() {
            true => Throttle::shared(config.login_limits, db.clone()),
            false => Throttle::new(config.login_limits),
        },
        cache: auth::cache::new(),
    });
    let bootstrap = users::bootstrap(&db, &auth.hasher, config.admin_password.as_deref())
        .await
        .context("cannot set up the superAdmin account")?;
    let interrupted = transfer::jobs::interrupt_unfinished(&db).await?;
    if interrupted > 0 {
        tracing::warn!(
            jobs = interrupted,
            "imports that a stop interrupted were marked failed; nothing of them was imported"
        );
    }
    let settings = SharedSettings::new(db.read(settings::store::load).await?);
    let reloaded = settings.clone();
    db.on_outside_change(move |conn| reloaded.reload(|| settings::store::load(conn)));
    let metrics = Arc::new(Metrics::new(&db));
    let state = AppState(Arc::new(Shared {
        metrics,
        metrics_access: Arc::new(config.metrics_access.clone()),
        product_pages: products::cache::new(),
        body_timeout: config.limits.body_timeout,
        imports: Arc::default(),
        maintenance: Arc::default(),
        one_product: products::cache::new_products(),
        db,
        auth,
        settings,
        started: Instant::now(),
        // Secure cookies whenever the server speaks HTTPS.
        secure_cookies: config.secure_cookies || config.https.is_some(),
        backups: Backups {
            dir: backup_dir,
            status: backup::SharedStatus::default(),
        },
    }));
    Ok(Prepared {
        state,
        lock,
        data_dir,
        applied_migrations: applied,
        bootstrap,
    })
}

/// Applies pending migrations, first taking a verified backup of an existing database, so an
/// upgrade can be undone with `order-system restore`.
fn migrate_with_backup(db_path: &std::path::Path, backup_dir: &std::path::Path) -> crate::error::AppResult<Vec<i32>> {
    let pending = migrations::pending(db_path)?;
    if !pending.is_empty() {
        let info = backup::create(db_path, backup_dir, "pre-migrate")?;
        tracing::info!(name = %info.name, ?pending, "took a backup before migrating");
    }
    migrations::apply(db_path)
}

/// Serves `app` on `listener` with one serving thread per core (see http::threads), each
/// running the one accept loop of http::serve under the listener's shared connection cap.
fn spawn_listener(
    name: &str,
    listener: TcpListener,
    app: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: serve::Limits,
    stopped: watch::Receiver<bool>,
    grace: Duration,
) -> anyhow::Result<tokio::task::JoinHandle<anyhow::Result<()>>> {
    let connections = serve::Connections::new(limits.max_connections);
    http::threads::spawn(name, listener, stopped, move |incoming, stop| {
        let (app, tls, connections) = (app.clone(), tls.clone(), connections.clone());
        async move {
            serve::serve(incoming, app, tls, limits, connections, stop, grace).await;
            Ok(())
        }
    })
}

/// A server listening in the background.
pub struct Server {
    pub addr: SocketAddr,
    pub prepared_bootstrap: Bootstrap,
    /// Where HTTPS listens, when it is on.
    pub https_addr: Option<SocketAddr>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<anyhow::Result<()>>>,
    db: Db,
    grace: Duration,
    /// Background work (scheduled backups) stopped with the server.
    background: Vec<tokio::task::JoinHandle<()>>,
    _lock: std::fs::File,
}

/// Prepares and starts the server on `config.http` (port 0 picks a free port).
pub async fn start(config: &Config) -> anyhow::Result<Server> {
    let prepared = prepare(config).await?;
    let tls = match &config.https {
        Some(https) => Some((https.clone(), tls::prepare(https, prepared.data_dir.root())?)),
        None => None,
    };
    let listener = TcpListener::bind(config.http)
        .await
        .with_context(|| format!("cannot listen on {}", config.http))?;
    let addr = listener.local_addr()?;
    let db = prepared.state.db.clone();
    let mut background = Vec::new();
    if config.backup_schedule.is_some() && config.database.is_some() {
        tracing::warn!(
            "no scheduled backups: a PostgreSQL database is backed up by its own tools (pg_dump, pgBackRest)"
        );
    } else if let Some(schedule) = config.backup_schedule.clone() {
        let state = &prepared.state;
        let tz = state.settings.get().tz();
        background.push(tokio::spawn(backup::schedule::run(
            schedule,
            db.path().to_path_buf(),
            state.backups.dir.clone(),
            tz,
            state.backups.status.clone(),
        )));
    }
    let lock = prepared.lock;
    let app = router(prepared.state)?;
    let (stop, stopped) = watch::channel(false);
    let mut tasks = Vec::new();
    let mut limits = config.limits;
    limits.max_connections = serve::raise_fd_limit(limits.max_connections);
    let mut https_addr = None;
    let mut secure = None;
    if let Some((https, prepared_tls)) = tls {
        let tls_listener = TcpListener::bind(https.addr)
            .await
            .with_context(|| format!("cannot listen on {}", https.addr))?;
        https_addr = Some(tls_listener.local_addr()?);
        if let Some(reloadable) = prepared_tls.reloadable {
            background.push(tokio::spawn(tls::watch_for_reload(reloadable)));
        }
        let acme_resolver = prepared_tls.acme.map(|(state, resolver)| {
            background.push(tokio::spawn(tls::acme::run(state)));
            resolver
        });
        secure = Some((tls_listener, prepared_tls.server_config, acme_resolver));
    }
    let mut names = config.allowed_hosts.clone();
    if let Some(https) = &config.https
        && let tls::Source::Acme(acme) = &https.source
    {
        names.extend(acme.domains.iter().cloned());
    }
    let listening: Vec<SocketAddr> = std::iter::once(addr).chain(https_addr).collect();
    let hosts = Arc::new(AllowedHosts::new(&listening, &names));
    let (grace, check_host) = (config.shutdown_grace, move |app: Router| {
        app.layer(middleware::from_fn_with_state(hosts.clone(), http::hosts::check))
    });
    let plain_app = match secure {
        Some((tls_listener, server_config, acme_resolver)) => {
            let bound = tls_listener.local_addr()?;
            let secure_app = check_host(app.layer(SetResponseHeaderLayer::overriding(
                axum::http::header::STRICT_TRANSPORT_SECURITY,
                axum::http::HeaderValue::from_static("max-age=63072000"),
            )));
            let acceptor = tokio_rustls::TlsAcceptor::from(server_config);
            tasks.push(spawn_listener(
                "https",
                tls_listener,
                secure_app,
                Some(acceptor),
                limits,
                stopped.clone(),
                grace,
            )?);
            tls::redirect::router(bound.port(), acme_resolver)
        }
        None => app,
    };
    // Not set_nodelay on plain HTTP: it cost the product list ~20% of its requests per second.
    tasks.push(spawn_listener(
        "http",
        listener,
        check_host(plain_app),
        None,
        limits,
        stopped,
        grace,
    )?);
    Ok(Server {
        addr,
        https_addr,
        prepared_bootstrap: prepared.bootstrap,
        stop,
        tasks,
        db,
        grace: config.shutdown_grace,
        background,
        _lock: lock,
    })
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The PostgreSQL connection string, when the data is there rather than in the data dir.
    pub fn database(&self) -> Option<&str> {
        self.db.postgres_url()
    }

    pub fn https_url(&self) -> Option<String> {
        self.https_addr.map(|a| format!("https://{a}"))
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Stops accepting connections, lets in-flight requests finish (up to the grace period),
    /// then finishes queued writes and closes the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        for task in &self.background {
            task.abort();
        }
        for mut task in self.tasks {
            match tokio::time::timeout(self.grace + Duration::from_secs(1), &mut task).await {
                Ok(joined) => joined?.context("the HTTP server failed")?,
                Err(_) => {
                    tracing::warn!(grace = ?self.grace, "requests still running after the grace period were cut off");
                    task.abort();
                }
            }
        }
        let db = self.db;
        tokio::task::spawn_blocking(move || db.close()).await?;
        Ok(())
    }
}
