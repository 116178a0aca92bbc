//! `retouch`: the engine on the command line (being written).

fn main() {
    eprintln!("retouch: not yet built");
    std::process::exit(2);
}
