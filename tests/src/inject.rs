//! Faults DynamoDB Local never produces, injected through an SDK interceptor on a test's own
//! client: a reply lost after the write committed, and the errors only real DynamoDB sends
//! (another transaction holding an item, throttling, request limits). A "lost" write really
//! goes to DynamoDB Local and lands, and only its answer is replaced; a refused request is
//! turned into a harmless one (ListTables) before it is sent, so nothing of it lands.
//! And races at one exact moment: an interlude, something another client does just before
//! a call is sent (a product saved between two of a use case's calls).

use aws_sdk_dynamodb::config::interceptors::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextMut,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use serde_json::json;
use std::sync::{Arc, Mutex};
use trolley::service::App;
use trolley::store::Store;
use trolley::store::access::RecordAccess;

/// What replaces DynamoDB's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The write lands but its answer does not arrive: a 500 the SDK retries, as it would
    /// retry a timeout. The retry then meets the landed write.
    LostReply,
    /// Another transaction holds the item (single-item writes and reads).
    TransactionConflict,
    /// A transaction cancelled for these reasons, one per action (`None` for an action
    /// that did not fail): `TransactionConflict`, `ThrottlingError`...
    Cancelled(Vec<Option<&'static str>>),
    ProvisionedThroughputExceeded,
    RequestLimitExceeded,
}

impl Fault {
    fn response(&self) -> HttpResponse {
        let (status, kind, extra) = match self {
            Fault::LostReply => (500, "InternalServerError", json!({})),
            Fault::TransactionConflict => (400, "TransactionConflictException", json!({})),
            Fault::Cancelled(reasons) => {
                let reasons: Vec<_> = reasons
                    .iter()
                    .map(|code| json!({"Code": code.unwrap_or("None")}))
                    .collect();
                (
                    400,
                    "TransactionCanceledException",
                    json!({"CancellationReasons": reasons}),
                )
            }
            Fault::ProvisionedThroughputExceeded => {
                (400, "ProvisionedThroughputExceededException", json!({}))
            }
            Fault::RequestLimitExceeded => (400, "RequestLimitExceeded", json!({})),
        };
        let mut body = json!({
            "__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"),
            "message": "injected by the test",
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let mut response = HttpResponse::new(
            status.try_into().expect("a valid status"),
            SdkBody::from(body.to_string()),
        );
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.0");
        response
    }
}

/// One planned fault: the next `times` answers to `operation` are replaced.
#[derive(Debug, Clone)]
struct Rule {
    operation: &'static str,
    fault: Fault,
    times: usize,
}

/// Something done just before a call of `operation` is sent; each runs once.
struct Interlude {
    operation: &'static str,
    action: Box<dyn FnOnce() + Send>,
}

impl std::fmt::Debug for Interlude {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "before {}", self.operation)
    }
}

/// The interceptor: the rules still to apply, the faults applied so far, and the
/// interludes still to run.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    rules: Arc<Mutex<Vec<Rule>>>,
    applied: Arc<Mutex<Vec<(&'static str, Fault)>>>,
    interludes: Arc<Mutex<Vec<Interlude>>>,
}

impl Faults {
    /// Replaces the answers to the next `times` calls of `operation` (`"UpdateItem"`...).
    pub fn plan(&self, operation: &'static str, fault: Fault, times: usize) {
        self.rules.lock().unwrap().push(Rule {
            operation,
            fault,
            times,
        });
    }

    /// Runs `action` just before the next call of `operation` not already given one is
    /// sent (so two interludes for one operation run before its first and second calls).
    /// The use case waits meanwhile: `action` runs another client's work to the end (see
    /// `elsewhere`).
    pub fn before(&self, operation: &'static str, action: impl FnOnce() + Send + 'static) {
        self.interludes.lock().unwrap().push(Interlude {
            operation,
            action: Box::new(action),
        });
    }

    fn run_interlude(&self, operation: &str) {
        let next = {
            let mut interludes = self.interludes.lock().unwrap();
            let at = interludes.iter().position(|i| i.operation == operation);
            at.map(|at| interludes.remove(at))
        };
        if let Some(interlude) = next {
            (interlude.action)();
        }
    }

    /// The faults injected so far, in order.
    pub fn applied(&self) -> Vec<(&'static str, Fault)> {
        self.applied.lock().unwrap().clone()
    }

    /// A rule that has not been used up, or an interlude that never ran: the test planned
    /// something that never happened.
    pub fn unused(&self) -> Vec<String> {
        let rules = self.rules.lock().unwrap();
        let interludes = self.interludes.lock().unwrap();
        rules
            .iter()
            .filter(|r| r.times > 0)
            .map(|r| format!("{} {:?} x{}", r.operation, r.fault, r.times))
            .chain(interludes.iter().map(|i| format!("{i:?}")))
            .collect()
    }

    fn take(&self, operation: &str) -> Option<Fault> {
        let mut rules = self.rules.lock().unwrap();
        let rule = rules
            .iter_mut()
            .find(|r| r.operation == operation && r.times > 0)?;
        rule.times -= 1;
        let fault = rule.fault.clone();
        self.applied
            .lock()
            .unwrap()
            .push((rule.operation, fault.clone()));
        Some(fault)
    }
}

/// The fault chosen for the attempt under way, from sending to answer.
#[derive(Debug, Clone)]
struct Pending(Fault);

impl Storable for Pending {
    type Storer = StoreReplace<Self>;
}

impl Intercept for Faults {
    fn name(&self) -> &'static str {
        "Faults"
    }

    /// Runs once per attempt (the SDK's own retries included), after signing: DynamoDB
    /// Local does not check signatures.
    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let operation = cfg.load::<Metadata>().map(|m| m.name().to_string());
        if let Some(name) = &operation {
            self.run_interlude(name);
        }
        let Some(fault) = operation.and_then(|name| self.take(&name)) else {
            return Ok(());
        };
        if fault != Fault::LostReply {
            let request = context.request_mut();
            request
                .headers_mut()
                .insert("x-amz-target", "DynamoDB_20120810.ListTables");
            request.headers_mut().insert("content-length", "2");
            *request.body_mut() = SdkBody::from("{}");
        }
        cfg.interceptor_state().store_put(Pending(fault));
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if let Some(Pending(fault)) = cfg.load::<Pending>().cloned() {
            cfg.interceptor_state().unset::<Pending>();
            *context.response_mut() = fault.response();
        }
        Ok(())
    }
}

/// The test store's table and endpoint, through a client with `faults` installed, whose
/// DynamoDB calls are booked to `function` for the IAM check: the test drives that
/// function's code path in-process.
pub async fn store_for(function: &str, faults: &Faults) -> Store {
    let store = crate::store().await;
    let mut config = store
        .client()
        .config()
        .to_builder()
        .interceptor(faults.clone());
    if let Some(record) = RecordAccess::for_function(function) {
        config = config.interceptor(record);
    }
    Store::new(
        aws_sdk_dynamodb::Client::from_conf(config.build()),
        store.table(),
    )
}

/// The use cases over `store_for(function, faults)`, configured as `crate::app()`.
pub async fn app_for(function: &str, faults: &Faults) -> App {
    crate::app_over(store_for(function, faults).await)
}

/// Runs `work` to the end on a thread and runtime of its own, for an interlude: the test's
/// runtime is held inside the interceptor meanwhile, so `work` needs its own (and its own
/// client: `crate::app()` makes one).
pub fn elsewhere(work: impl Future<Output = ()> + Send + 'static) {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(work)
    })
    .join()
    .expect("the interlude's work finished");
}
