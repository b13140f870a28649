//! `gws-sim`: parses flags, binds, prints the address line, serves until interrupted.

use std::io::Write;
use std::process::ExitCode;

use gws_sim::cli::{self, ScenarioChoice};
use gws_sim::scenario::{self, Scenario};
use gws_sim::{app, SimState};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args().skip(1)) {
        Ok(cli) => cli,
        Err(why) => {
            eprintln!("gws-sim: {why}");
            return ExitCode::from(2);
        }
    };
    if cli.help {
        print!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    let scenario = match &cli.scenario {
        ScenarioChoice::Demo => Scenario::demo().map(Some),
        ScenarioChoice::None => Ok(None),
        ScenarioChoice::File(path) => std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))
            .and_then(|text| Scenario::parse(&text))
            .map(Some),
    };
    let scenario = match scenario {
        Ok(scenario) => scenario,
        Err(why) => {
            eprintln!("gws-sim: {why}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&cli.addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("gws-sim: cannot listen on {}: {err}", cli.addr);
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(err) => {
            eprintln!("gws-sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    let state = SimState::new(cli.config.clone());
    state.set_public_base(format!("http://{addr}"));
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "gws-sim listening on http://{addr}");
    let _ = stdout.flush();
    if let Some(scenario) = scenario {
        scenario::start(&state, scenario);
    }
    if let Some(load) = &cli.load {
        if let Err(err) = scenario::start_load(&state, load) {
            eprintln!(
                "gws-sim: --load: {}",
                err.reply.status_message.unwrap_or_default()
            );
            return ExitCode::from(2);
        }
    }
    let server = axum::serve(listener, app(state));
    // Exit at once on a signal: held long-polls would otherwise delay a graceful shutdown by their timeout.
    tokio::select! {
        result = server => {
            if let Err(err) = result {
                eprintln!("gws-sim: {err}");
                return ExitCode::FAILURE;
            }
        }
        _ = shutdown_signal() => {}
    }
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
