//! The GWS IM-session agent widget.
