//! Deployment size: each function's `bootstrap` (stripped by the release profile) and the
//! zip Lambda would receive, for each architecture built.

use serde::Serialize;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone, Serialize)]
pub struct Size {
    pub function: String,
    pub x86_64_bytes: Option<u64>,
    pub x86_64_zip_bytes: Option<u64>,
    pub arm64_bytes: Option<u64>,
    pub arm64_zip_bytes: Option<u64>,
}

/// The size of `binary`, and of a zip holding it as `bootstrap` (as `sam build` packs it).
fn sizes(binary: &Path, scratch: &Path) -> (Option<u64>, Option<u64>) {
    let Ok(meta) = std::fs::metadata(binary) else {
        return (None, None);
    };
    let zip = scratch.join("bootstrap.zip");
    let zipped = Command::new("python3")
        .args(["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED).write(sys.argv[1], 'bootstrap')"])
        .arg(binary)
        .arg(&zip)
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&zip).ok())
        .map(|m| m.len());
    (Some(meta.len()), zipped)
}

/// `x86_64`: the folder of native release binaries; `arm64`: cargo lambda's output folder
/// (`<function>/bootstrap`), if it was built.
pub fn measure(
    functions: &[String],
    x86_64: &Path,
    arm64: Option<&Path>,
    scratch: &Path,
) -> Vec<Size> {
    functions
        .iter()
        .map(|function| {
            let (x86_64_bytes, x86_64_zip_bytes) = sizes(&x86_64.join(function), scratch);
            let (arm64_bytes, arm64_zip_bytes) = match arm64 {
                Some(folder) => sizes(&folder.join(function).join("bootstrap"), scratch),
                None => (None, None),
            };
            Size {
                function: function.clone(),
                x86_64_bytes,
                x86_64_zip_bytes,
                arm64_bytes,
                arm64_zip_bytes,
            }
        })
        .collect()
}
