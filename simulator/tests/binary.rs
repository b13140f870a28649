//! The `gws-sim` binary: flags, the first stdout line, start-up time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_gws-sim");

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn starts_well_under_a_second_and_prints_its_address_first() {
    let started = Instant::now();
    let mut child = Child(
        Command::new(BINARY)
            .args([
                "--addr",
                "127.0.0.1:0",
                "--scenario",
                "none",
                "--speed",
                "10",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn gws-sim"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(10))
        .expect("a first line");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    let line = line.trim_end();
    let port = line
        .strip_prefix("gws-sim listening on http://127.0.0.1:")
        .expect(line);
    let port: u16 = port.parse().expect("a port");
    assert_ne!(port, 0);

    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream
        .write_all(b"GET /_sim/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"speed\":10.0"), "{answer}");
}

fn exit_code(args: &[&str]) -> Option<i32> {
    let output = Command::new(BINARY)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run");
    output.status.code()
}

#[test]
fn help_and_bad_flags() {
    assert_eq!(exit_code(&["--help"]), Some(0));
    assert_eq!(exit_code(&["--bogus"]), Some(2));
    assert_eq!(exit_code(&["--speed", "-1"]), Some(2));
    assert_eq!(
        exit_code(&["--scenario", "/nonexistent/scenario.json"]),
        Some(2)
    );
    assert_eq!(
        exit_code(&["--addr", "not an address", "--scenario", "none"]),
        Some(1)
    );
}
