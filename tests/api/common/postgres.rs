//! A throwaway PostgreSQL cluster for a test: Debian's server binaries, `initdb` run as the
//! `postgres` user (it refuses root), listening on 127.0.0.1 only, on a free port, with a
//! password for TCP logins. Stopped (immediately) when dropped.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PASSWORD: &str = "old-system-pw";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
}

/// The newest installed server's binaries (CI installs Debian's `postgresql` package).
fn server_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (apt-get install postgresql)")
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL server with initdb")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A command run as the postgres user when we are root (initdb and the server refuse root).
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn chown_to_postgres(path: &Path) {
    if !is_root() {
        return;
    }
    ok(
        Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(path)
            .output()
            .unwrap(),
        "chown",
    );
}

impl Cluster {
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// A cluster that takes TCP logins over TLS only (`hostssl` in pg_hba.conf), with this
    /// certificate and key (PEM).
    pub fn start_tls(cert: &str, key: &str) -> Self {
        Self::start_with(Some((cert, key)))
    }

    fn start_with(tls: Option<(&str, &str)>) -> Self {
        let bin = server_bin();
        let dir = tempfile::tempdir().unwrap();
        // The postgres user must reach its files inside our private temp dir.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let data = dir.path().join("pgdata");
        let pwfile = dir.path().join("pwfile");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        chown_to_postgres(&pwfile);
        std::fs::create_dir(&data).unwrap();
        chown_to_postgres(&data);
        ok(
            as_postgres(&bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-E", "UTF8", "--no-locale", "--auth-local=trust"])
                .args(["--auth-host=scram-sha-256", "--no-sync"])
                .arg(format!("--pwfile={}", pwfile.display()))
                .output()
                .unwrap(),
            "initdb",
        );
        let sockets = dir.path().join("sockets");
        std::fs::create_dir(&sockets).unwrap();
        chown_to_postgres(&sockets);
        let port = super::process::free_port();
        let log = dir.path().join("server.log");
        std::fs::write(&log, "").unwrap();
        chown_to_postgres(&log);
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c full_page_writes=off",
            sockets.display()
        );
        if let Some((cert, key)) = tls {
            let (cert_file, key_file) = (dir.path().join("server.crt"), dir.path().join("server.key"));
            std::fs::write(&cert_file, cert).unwrap();
            std::fs::write(&key_file, key).unwrap();
            std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
            chown_to_postgres(&cert_file);
            chown_to_postgres(&key_file);
            let hba = data.join("pg_hba.conf");
            std::fs::write(
                &hba,
                "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
            )
            .unwrap();
            chown_to_postgres(&hba);
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                cert_file.display(),
                key_file.display()
            ));
        }
        ok(
            as_postgres(&bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-w", "-t", "60", "-l"])
                .arg(&log)
                .arg("start")
                .output()
                .unwrap(),
            "pg_ctl start",
        );
        Self { dir, bin, port }
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgresql://postgres:{PASSWORD}@127.0.0.1:{}/{db}", self.port)
    }

    fn client(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        c.env("PGPASSWORD", PASSWORD)
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", "postgres");
        c
    }

    /// Runs SQL in `db`, stopping at the first error; returns what it printed (unaligned).
    pub fn sql(&self, db: &str, sql: &str) -> String {
        let out = ok(
            self.client("psql")
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-d", db, "-c", sql])
                .output()
                .unwrap(),
            "psql",
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Runs a SQL file in `db` with psql variables (`:'name'` in the file).
    pub fn sql_file(&self, db: &str, file: &Path, vars: &[(&str, &str)]) {
        let mut c = self.client("psql");
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f"]).arg(file);
        for (k, v) in vars {
            c.arg("-v").arg(format!("{k}={v}"));
        }
        ok(c.output().unwrap(), "psql -f");
    }

    pub fn create_db(&self, name: &str) {
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
    }

    /// `pg_dump -U postgres DB > file`, as the old guide has every shop do, plus `extra` flags.
    pub fn dump(&self, db: &str, file: &Path, extra: &[&str]) {
        let out = ok(self.client("pg_dump").args(extra).arg(db).output().unwrap(), "pg_dump");
        std::fs::write(file, out.stdout).unwrap();
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.path().join("pgdata"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

/// A new, empty database on the server at `server` (a URL ending in /postgres): its URL.
pub fn new_database(server: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("test_{}_{n}", std::process::id());
    // The blocking client runs a runtime of its own, which cannot start inside a test's.
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut client = order_system::db::postgres::connect(server, "cannot reach the test PostgreSQL").unwrap();
            client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        })
        .join()
        .unwrap();
    });
    let (base, _) = server.rsplit_once('/').expect("a URL ending in /postgres");
    format!("{base}/{name}")
}

/// The database of the test server whose data dir is `data_dir`: the same one every time a
/// test starts a server on that data dir again (a restart keeps its data, as on SQLite).
pub fn database_for(server: &str, data_dir: &Path) -> String {
    static DATABASES: std::sync::Mutex<Vec<(PathBuf, String)>> = std::sync::Mutex::new(Vec::new());
    let mut known = DATABASES.lock().unwrap();
    if let Some((_, url)) = known.iter().find(|(dir, _)| dir == data_dir) {
        return url.clone();
    }
    let url = new_database(server);
    known.push((data_dir.to_path_buf(), url.clone()));
    url
}
