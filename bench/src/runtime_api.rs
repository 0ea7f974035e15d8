//! A Lambda Runtime API the benchmark controls: functions started with
//! `AWS_LAMBDA_RUNTIME_API` pointing here ask it for events and post their answers, and it
//! records when each of those happens. One server serves one set of function processes.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::{Mutex as AsyncMutex, mpsc};

/// The time each event gives its function, as the sweep's 300 s timeout in template.yaml.
const DEADLINE: Duration = Duration::from_secs(300);
/// How long to wait on a function before failing: past any event's deadline, so a function
/// that crashed or hung fails the run instead of stalling it.
const WAIT_LIMIT: Duration = Duration::from_secs(330);

/// A function's answer to one event.
#[derive(Debug)]
pub struct Completion {
    pub at: Instant,
    pub body: String,
    /// Posted to `/error` (a handler error or a failed start) rather than `/response`.
    pub failed: bool,
}

struct Event {
    id: String,
    payload: String,
}

struct Shared {
    events: AsyncMutex<mpsc::UnboundedReceiver<Event>>,
    asked: mpsc::UnboundedSender<Instant>,
    answered: mpsc::UnboundedSender<Completion>,
    delivered: Mutex<HashMap<String, Instant>>,
}

pub struct RuntimeApi {
    /// `host:port`, for `AWS_LAMBDA_RUNTIME_API`.
    pub address: String,
    events: mpsc::UnboundedSender<Event>,
    asked: mpsc::UnboundedReceiver<Instant>,
    answered: mpsc::UnboundedReceiver<Completion>,
    shared: Arc<Shared>,
}

impl RuntimeApi {
    pub async fn start() -> RuntimeApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("an address").to_string();
        let (events, queue) = mpsc::unbounded_channel();
        let (asked_tx, asked) = mpsc::unbounded_channel();
        let (answered_tx, answered) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            events: AsyncMutex::new(queue),
            asked: asked_tx,
            answered: answered_tx,
            delivered: Mutex::new(HashMap::new()),
        });
        let server = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = server.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| route(shared.clone(), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        RuntimeApi {
            address,
            events,
            asked,
            answered,
            shared,
        }
    }

    /// Queues an event; returns its request id.
    pub fn push(&self, payload: String) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.events
            .send(Event {
                id: id.clone(),
                payload,
            })
            .expect("the server runs");
        id
    }

    /// When a function next asked for an event (the first time: when it was ready).
    pub async fn asked(&mut self) -> Instant {
        tokio::time::timeout(WAIT_LIMIT, self.asked.recv())
            .await
            .expect("a function asked for an event in time (did it crash?)")
            .expect("the server runs")
    }

    /// The next answer any function posts.
    pub async fn answered(&mut self) -> Completion {
        tokio::time::timeout(WAIT_LIMIT, self.answered.recv())
            .await
            .expect("a function answered in time (did it crash?)")
            .expect("the server runs")
    }

    /// When event `id` was handed to a function.
    pub fn delivered(&self, id: &str) -> Instant {
        self.shared.delivered.lock().unwrap()[id]
    }
}

async fn route(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_string();
    if path == "/2018-06-01/runtime/invocation/next" {
        let _ = shared.asked.send(Instant::now());
        let event = shared.events.lock().await.recv().await;
        let Some(event) = event else {
            return Ok(reply(StatusCode::GONE, ""));
        };
        shared
            .delivered
            .lock()
            .unwrap()
            .insert(event.id.clone(), Instant::now());
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let response = Response::builder()
            .header("lambda-runtime-aws-request-id", &event.id)
            .header(
                "lambda-runtime-deadline-ms",
                (now_ms + DEADLINE.as_millis()).to_string(),
            )
            .header(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:bench",
            )
            .header(
                "lambda-runtime-trace-id",
                "Root=1-00000000-000000000000000000000000",
            )
            .body(Full::new(Bytes::from(event.payload)))
            .expect("a response");
        return Ok(response);
    }
    let at = Instant::now();
    let failed = path.ends_with("/error");
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&body).into_owned();
    let _ = shared.answered.send(Completion { at, body, failed });
    Ok(reply(StatusCode::ACCEPTED, ""))
}

fn reply(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
}
