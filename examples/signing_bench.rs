//! The signing scan benchmark (benches/signing/run.sh):
//!   signing_bench generate DIR PROFILES CERTS   writes a set of profiles and certificates
//!   signing_bench scan DIR                      reads them all as `shipdeck check` does

use shipdeck::signing::{demo, identity};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") if args.len() == 5 => {
            let dir = Path::new(&args[2]);
            let profiles: usize = args[3].parse().expect("a number of profiles");
            let certs: usize = args[4].parse().expect("a number of certificates");
            generate(dir, profiles, certs);
        }
        Some("scan") if args.len() == 3 => {
            let dir = Path::new(&args[2]).to_path_buf();
            // As `shipdeck check` reads them: identities on a thread beside the profile readers.
            let (scan, profiles, bad) = shipdeck::signing::scan_beside_profiles(
                || {
                    let mut scan = identity::Scan::default();
                    identity::scan_dir(&dir, None, &mut scan);
                    scan
                },
                std::slice::from_ref(&dir),
            );
            println!("{} identities, {} intermediates, {} profiles, {} unreadable", scan.identities.len(), scan.intermediates.len(), profiles.len(), bad.len() + scan.unreadable.len());
        }
        _ => {
            eprintln!("usage: signing_bench generate DIR PROFILES CERTS | scan DIR");
            std::process::exit(2);
        }
    }
}

/// Copies of the demo set: each demo run makes 7 certificates and 2 profiles.
fn generate(dir: &Path, profiles: usize, certs: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let (mut p, mut c, mut i) = (0, 0, 0);
    while p < profiles || c < certs {
        let sub = dir.join(format!("set{i}"));
        let files = demo::generate(&sub, &demo::Demo::default(), now).unwrap();
        for f in files {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
            let is_profile = ext == "mobileprovision" || ext == "provisionprofile";
            if (is_profile && p < profiles) || (!is_profile && c < certs) {
                let name = format!("{i}-{}", f.file_name().unwrap().to_string_lossy());
                std::fs::rename(&f, dir.join(name)).unwrap();
                if is_profile {
                    p += 1
                } else {
                    c += 1
                }
            }
        }
        std::fs::remove_dir_all(&sub).unwrap();
        i += 1;
    }
}
