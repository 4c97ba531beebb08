//! The binary's JSON logs at info level, against the mock cluster (which listens on 127.0.0.1, so a child
//! process can use it): a dead-lettered message gives one line with the fields operators filter on, and no
//! line carries article text.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rdkafka::mocking::MockCluster;

use super::{common, Topics};

/// Words written for this test; neither the article nor the broken message may show them in an info log.
const ARTICLE_WORDS: &str = "Quillmoor harbour pilots voted on Thursday to extend the lantern festival by a week.";
const JUNK_WORDS: &str = "Brackenfold weavers";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_letter_logs_its_position_stage_and_kind_and_no_article_text() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 1);
    let good = serde_json::json!({ "id": "good-1", "body": format!("{ARTICLE_WORDS}\n\n{ARTICLE_WORDS}") });
    let messages = vec![
        common::TestMessage { key: "good-1".into(), value: good.to_string().into_bytes(), junk: None },
        // Unterminated JSON whose text is article-like: the parser's message must not carry it into the log.
        common::TestMessage {
            key: "bad-1".into(),
            value: format!("{{\"body\": \"{JUNK_WORDS} met in the square").into_bytes(),
            junk: Some("invalid_json"),
        },
    ];
    common::produce(&brokers, &t.input, &messages).await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("run")
        .env("NEWS_ENRICHER__KAFKA__BROKERS", &brokers)
        .env("NEWS_ENRICHER__KAFKA__INPUT_TOPIC", &t.input)
        .env("NEWS_ENRICHER__KAFKA__OUTPUT_TOPIC", &t.output)
        .env("NEWS_ENRICHER__KAFKA__DEAD_LETTER_TOPIC", &t.dead)
        .env("NEWS_ENRICHER__KAFKA__GROUP_ID", &t.group)
        .env("NEWS_ENRICHER__HTTP__LISTEN_ADDR", "127.0.0.1:0")
        .env("NEWS_ENRICHER__LOG__FORMAT", "json")
        .env("NEWS_ENRICHER__LOG__LEVEL", "info")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });

    let mut lines = Vec::new();
    let mut dead_line = None;
    let mut produced_line = None;
    let deadline = Instant::now() + Duration::from_secs(90);
    while (dead_line.is_none() || produced_line.is_none()) && Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if v["message"] == "message dead-lettered" {
            dead_line = Some(v.clone());
        }
        if v["message"].as_str().is_some_and(|m| m.starts_with("service built")) {
            produced_line = wait_for_output(&v);
        }
        lines.push(line);
    }
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let status = child.wait().unwrap();
    let _ = reader.join();
    lines.extend(rx.try_iter());
    assert!(status.success(), "SIGTERM exits 0: {status:?}");

    let dead = dead_line.unwrap_or_else(|| panic!("no dead-letter line in:\n{}", lines.join("\n")));
    assert_eq!(dead["level"], "WARN");
    assert_eq!(dead["topic"], t.input.as_str());
    assert_eq!(dead["partition"], 0);
    assert!(dead["offset"].as_i64().is_some_and(|o| o >= 0), "{dead}");
    assert_eq!(dead["stage"], "decode");
    assert_eq!(dead["error_kind"], "invalid_json");
    assert!(dead["error"].as_str().is_some_and(|e| !e.is_empty()), "{dead}");
    assert!(produced_line.is_some(), "the good article was delivered");
    for line in &lines {
        for words in [ARTICLE_WORDS, JUNK_WORDS] {
            let probe = words.split_whitespace().next().unwrap_or_default();
            assert!(!line.contains(probe), "article text in an info log line: {line}");
        }
    }
}

/// Polls the service's `/metrics` (address from its startup line) until one record was produced.
fn wait_for_output(startup: &serde_json::Value) -> Option<()> {
    use std::io::{Read, Write};
    let addr = startup["http_addr"].as_str()?.to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = write!(s, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut r = String::new();
            let _ = s.read_to_string(&mut r);
            if r.lines().any(|l| l == "news_enricher_records_produced_total 1") {
                return Some(());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}
