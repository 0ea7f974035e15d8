//! `iam-check RECORD`: compares the DynamoDB uses the functions recorded during `make test`
//! (`TROLLEY_ACCESS_LOG`) with their policies in template.yaml, prints each function's
//! grants as used, and fails on any grant missing or unused.

use trolley_tests::{iam, repo_root};

fn main() {
    let record = std::env::args().nth(1).expect("usage: iam-check RECORD");
    let policies = iam::policies_from(&repo_root().join("template.yaml")).unwrap_or_else(|e| {
        eprintln!("template.yaml: {e}");
        std::process::exit(2)
    });
    let seen = iam::read_record(std::path::Path::new(&record)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let mut failed = false;
    for (function, findings) in iam::check(&policies, &seen) {
        let granted = policies.get(&function).map_or(0, |g| g.len());
        println!(
            "{function}: {granted} grants, {} missing, {} unused",
            findings.missing.len(),
            findings.unused.len()
        );
        let used = policies.get(&function).into_iter().flatten();
        for (action, resource, key) in used.filter(|g| !findings.unused.contains(*g)) {
            println!("  used    {action} on {resource} for {key}");
        }
        for (action, resource, key) in &findings.missing {
            println!("  MISSING {action} on {resource} for {key}");
        }
        for (action, resource, key) in &findings.unused {
            println!("  UNUSED  {action} on {resource} for {key}");
        }
        failed |= !findings.missing.is_empty() || !findings.unused.is_empty();
    }
    if failed {
        eprintln!("template.yaml's policies do not match what the functions use (above)");
        std::process::exit(1);
    }
}
