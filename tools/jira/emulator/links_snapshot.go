package emulator

import (
	"strconv"
	"time"
)

// Snapshots of links, remote links, worklogs and history, for tests that
// assert on what the emulator holds after a client wrote to it (see
// state.go for the issue's own fields).

// LinkState is an issue link: Source <outward> Dest, e.g. OPS-1 blocks
// WEB-3 for type Blocks.
type LinkState struct {
	ID, Type, Source, Dest string
}

// RemoteLinkState is a remote link of an issue.
type RemoteLinkState struct {
	ID                                 int
	GlobalID, URL, Title, Summary, Rel string
}

// WorklogState is a worklog, with the issue's time tracking after it.
type WorklogState struct {
	ID, Author, Comment string
	Started             time.Time
	Seconds             int64
}

// TimeTracking is an issue's time tracking, in seconds; -1 when unset.
type TimeTracking struct{ Original, Remaining, Spent int64 }

// Links returns the links of the issue with the given key, oldest first,
// regardless of permissions.
func (e *Emulator) Links(key string) []LinkState {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []LinkState
	for _, l := range e.db.links {
		if l.source.key == key || l.dest.key == key {
			out = append(out, LinkState{strconv.Itoa(l.id), l.typ.name, l.source.key, l.dest.key})
		}
	}
	return out
}

// RemoteLinks returns the remote links of the issue with the given key.
func (e *Emulator) RemoteLinks(key string) []RemoteLinkState {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []RemoteLinkState
	if is := e.db.lookupIssue(key); is != nil {
		for _, rl := range is.remoteLinks {
			out = append(out, RemoteLinkState{rl.id, rl.globalID, rl.url, rl.title, rl.summary, rl.relationship})
		}
	}
	return out
}

// Worklogs returns the worklogs and the time tracking of the issue with
// the given key.
func (e *Emulator) Worklogs(key string) ([]WorklogState, TimeTracking) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []WorklogState
	tt := TimeTracking{-1, -1, 0}
	if is := e.db.lookupIssue(key); is != nil {
		for _, w := range is.worklogs {
			out = append(out, WorklogState{strconv.Itoa(w.id), w.author, w.comment, w.started, w.seconds})
		}
		if is.original != nil {
			tt.Original = *is.original
		}
		if is.remaining != nil {
			tt.Remaining = *is.remaining
		}
		tt.Spent = is.spent
	}
	return out, tt
}

// History returns the fields each change group of the issue changed,
// oldest first, e.g. ["status resolution", "Link"].
func (e *Emulator) History(key string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	if is := e.db.lookupIssue(key); is != nil {
		for _, g := range is.history {
			s := g.author + ":"
			for _, it := range g.items {
				s += " " + it.field
			}
			out = append(out, s)
		}
	}
	return out
}
