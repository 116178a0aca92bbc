fn main() {
    println!(
        "{}",
        serde_json::to_string_pretty(&retouch_engine::contract::tool_schema()).unwrap()
    );
}
