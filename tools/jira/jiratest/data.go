package jiratest

// database holds the emulator's Jira data. (Placeholder: replaced by the
// real model and seed.)
type database struct{}

func seed() *database { return &database{} }
