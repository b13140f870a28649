//! `gws-sim`'s flags, parsed by hand.

use std::path::PathBuf;
use std::time::Duration;

use crate::scenario::LoadSpec;
use crate::sim::SimConfig;

pub const USAGE: &str = "\
gws-sim: a Genesys Web Services (API v2, IM sessions) simulator

USAGE: gws-sim [FLAGS]

  --addr HOST:PORT        listen address (default 127.0.0.1:8080; port 0 = any free port)
  --dist DIR              built widget served at / (default dist)
  --no-auth               /api/v2 without a session cookie
  --no-csrf               no X-CSRF-TOKEN needed on writes
  --no-quirks             start without the documentation's quirks (PUT /_sim/quirks switches)
  --scenario S            demo (default) | none | FILE.json
  --speed F               divide every scripted pause by F (e.g. 10 in tests)
  --seed N                seed of the fault dice (default 1)
  --no-ack                CometD acknowledged-messages extension off
  --poll-timeout-ms N     how long a /meta/connect is held (default 30000)
  --max-interval-ms N     how long a silent CometD client is kept (default 10000)
  --session-idle-timeout-ms N
                          an HTTP session unused this long expires (default: never;
                          POST /_sim/expire ends every session at once)
  --load N,M,K            N live sessions, M messages per second, K completed sessions
  --cors-origin ORIGIN    pages of ORIGIN may call /api/v2 with cookies (repeatable; * = any)
  --help                  this text

The first line on stdout is `gws-sim listening on http://ADDR`.
";

/// Which scenario runs at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioChoice {
    Demo,
    None,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Cli {
    pub addr: String,
    pub config: SimConfig,
    pub scenario: ScenarioChoice,
    pub load: Option<LoadSpec>,
    pub help: bool,
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Cli, String> {
    let mut cli = Cli {
        addr: "127.0.0.1:8080".into(),
        config: SimConfig::default(),
        scenario: ScenarioChoice::Demo,
        load: None,
        help: false,
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let (flag, inline) = match flag.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (flag, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--addr" => cli.addr = value("--addr")?,
            "--dist" => cli.config.dist = PathBuf::from(value("--dist")?),
            "--no-auth" => cli.config.auth = false,
            "--no-csrf" => cli.config.csrf = false,
            "--no-quirks" => cli.config.quirks = false,
            "--no-ack" => cli.config.bayeux.ack_extension = false,
            "--scenario" => {
                cli.scenario = match value("--scenario")?.as_str() {
                    "demo" => ScenarioChoice::Demo,
                    "none" => ScenarioChoice::None,
                    file => ScenarioChoice::File(PathBuf::from(file)),
                }
            }
            "--speed" => {
                let speed: f64 = number("--speed", &value("--speed")?)?;
                if !speed.is_finite() || speed <= 0.0 {
                    return Err("--speed must be a positive number".into());
                }
                cli.config.speed = speed;
            }
            "--seed" => cli.config.seed = number("--seed", &value("--seed")?)?,
            "--poll-timeout-ms" => {
                cli.config.bayeux.timeout = Duration::from_millis(number(
                    "--poll-timeout-ms",
                    &value("--poll-timeout-ms")?,
                )?)
            }
            "--max-interval-ms" => {
                cli.config.bayeux.max_interval = Duration::from_millis(number(
                    "--max-interval-ms",
                    &value("--max-interval-ms")?,
                )?)
            }
            "--session-idle-timeout-ms" => {
                let ms: u64 = number(
                    "--session-idle-timeout-ms",
                    &value("--session-idle-timeout-ms")?,
                )?;
                cli.config.session_idle_timeout = (ms > 0).then(|| Duration::from_millis(ms));
            }
            "--load" => cli.load = Some(LoadSpec::from_flag(&value("--load")?)?),
            "--cors-origin" => {
                let origin = value("--cors-origin")?
                    .trim()
                    .trim_end_matches('/')
                    .to_owned();
                if origin != "*"
                    && !origin.starts_with("http://")
                    && !origin.starts_with("https://")
                {
                    return Err(format!(
                        "--cors-origin: {origin:?} is not an origin like http://host:port (or *)"
                    ));
                }
                cli.config.cors_origins.push(origin);
            }
            "--help" | "-h" => cli.help = true,
            other => return Err(format!("unknown flag {other:?} (see --help)")),
        }
    }
    Ok(cli)
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{flag}: {text:?} is not a valid number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn defaults() {
        let cli = parse(Vec::new()).unwrap();
        assert_eq!(cli.addr, "127.0.0.1:8080");
        assert!(
            cli.config.auth
                && cli.config.csrf
                && cli.config.quirks
                && cli.config.bayeux.ack_extension
        );
        assert_eq!(cli.scenario, ScenarioChoice::Demo);
        assert_eq!(cli.config.speed, 1.0);
    }

    #[test]
    fn every_flag() {
        let cli = parse(args(
            "--addr 127.0.0.1:0 --dist out --no-auth --no-csrf --no-quirks --scenario none --speed 10 \
             --seed 9 --no-ack --poll-timeout-ms 2000 --max-interval-ms=5000 --load 2,3,4 \
             --session-idle-timeout-ms 60000",
        ))
        .unwrap();
        assert_eq!(cli.addr, "127.0.0.1:0");
        assert_eq!(cli.config.dist, PathBuf::from("out"));
        assert!(
            !cli.config.auth
                && !cli.config.csrf
                && !cli.config.quirks
                && !cli.config.bayeux.ack_extension
        );
        assert_eq!(cli.scenario, ScenarioChoice::None);
        assert_eq!((cli.config.speed, cli.config.seed), (10.0, 9));
        assert_eq!(cli.config.bayeux.timeout, Duration::from_millis(2000));
        assert_eq!(cli.config.bayeux.max_interval, Duration::from_millis(5000));
        assert_eq!(
            cli.config.session_idle_timeout,
            Some(Duration::from_secs(60))
        );
        assert_eq!(cli.load.map(|l| l.sessions), Some(2));
        assert_eq!(
            parse(args("--scenario x.json")).unwrap().scenario,
            ScenarioChoice::File("x.json".into())
        );
    }

    #[test]
    fn errors() {
        assert!(parse(args("--speed 0")).is_err());
        assert!(parse(args("--speed")).is_err());
        assert!(parse(args("--seed x")).is_err());
        assert!(parse(args("--bogus")).is_err());
    }
}
