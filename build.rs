//! Link settings for the static release binary on Linux, where it is measured and shipped.
//!
//! `-z pack-relative-relocs` (glibc 2.36+): the static-pie binary's start-up code applies
//! ~55,000 relocations, which as classic RELA records took 1.3 MB that were all read, and so
//! resident, at every start; packed they take ~23 KB. Only static binaries: a dynamic one
//! would then need glibc 2.36 wherever it runs.

fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    if linux && features.split(',').any(|f| f == "crt-static") {
        println!("cargo:rustc-link-arg-bin=order-system=-Wl,-z,pack-relative-relocs");
    }
}
