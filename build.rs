//! Link settings for the release binary on Linux, where it is measured and shipped.
//!
//! - `link/startup.ld` lays the functions that start the server out together, so an idle server
//!   keeps ~4 MB of its code resident instead of ~10 MB (scripts/startup-order.py says why and
//!   regenerates it). A linker script with only INSERT keeps the linker's default layout.
//! - `-z pack-relative-relocs` (glibc 2.36+) for the static binary: its start-up code applies
//!   ~55,000 relocations, which as classic RELA records took 1.3 MB that were all read, and so
//!   resident, at every start; packed they take ~23 KB. Only static binaries: a dynamic one
//!   would then need glibc 2.36 wherever it runs.

use std::env;
use std::path::Path;

fn main() {
    let script = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("link/startup.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    let linux = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    if !linux || !release {
        return;
    }
    if script.exists() {
        println!("cargo:rustc-link-arg-bin=order-system=-Wl,-T,{}", script.display());
    }
    let features = env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    if features.split(',').any(|f| f == "crt-static") {
        println!("cargo:rustc-link-arg-bin=order-system=-Wl,-z,pack-relative-relocs");
    }
}
