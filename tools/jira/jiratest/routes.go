package jiratest

// routes registers the REST API on e.mux. (Placeholder.)
func (e *Emulator) routes() {}
