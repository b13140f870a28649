//! Everything that talks to the network or to other tabs: REST (`api`), the CometD client (`live`:
//! a pure machine and its browser driver) and the tab channel that shares one client (`tabs`).

pub mod api;
pub mod live;
pub mod tabs;
