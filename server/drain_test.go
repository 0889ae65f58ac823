package server

import (
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		line     string
		key      string
		answered bool
		response bool
	}{
		{line: `{"jsonrpc":"2.0","id":1,"method":"tools/call"}`, key: `1`, answered: true},
		{line: `{"jsonrpc":"2.0","id":"1","method":"ping"}`, key: `"1"`, answered: true},
		{line: `{"jsonrpc":"2.0","id":1.0,"method":"ping"}`, key: `1`, answered: true},            // mcp-go answers 1.0 as 1
		{line: `{"jsonrpc":"2.0","id":"a<b","method":"ping"}`, key: `"a\u003cb"`, answered: true}, // as encoding/json writes it
		{line: `{"jsonrpc":"1.0","id":2,"method":"ping"}`, key: `2`, answered: true},              // answered with an error
		{line: `{"jsonrpc":"2.0","id":3}`, key: `3`, answered: true},                              // answered: method not found
		{line: `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}`},
		{line: `{"jsonrpc":"2.0","id":null,"method":"ping"}`},
		{line: `{"jsonrpc":"2.0","id":4,"result":{}}`, key: `4`, response: true},
		{line: `{"jsonrpc":"2.0","id":"4","error":{"code":1,"message":"x"}}`, key: `"4"`, response: true},
		{line: `{"jsonrpc":"2.0","id":5,"method":"ping","result":{}}`, key: `5`}, // mcp-go ignores it
		{line: `[{"jsonrpc":"2.0","id":6,"method":"ping"}]`},                     // no batches in mcp-go v1.2.1
		{line: `{"jsonrpc":"2.0","id":7,"method":7}`},                            // parse error, null id
		{line: `not json`},
	}
	for _, tt := range tests {
		key, answered, response := classify([]byte(tt.line))
		if key != tt.key || answered != tt.answered || response != tt.response {
			t.Errorf("classify(%s) = %q, %v, %v; want %q, %v, %v", tt.line, key, answered, response, tt.key, tt.answered, tt.response)
		}
	}
}

func TestPendingCountsEachRequestByID(t *testing.T) {
	p := newPending()
	idle := func() bool {
		select {
		case <-p.idle:
			return true
		default:
			return false
		}
	}
	p.add(`1`)
	p.add(`1`)
	p.add(`"1"`)
	p.done(`2`) // not pending: no change
	p.done(`1`)
	if idle() || p.ids[`1`] != 1 || p.ids[`"1"`] != 1 {
		t.Fatalf("after one answer to 1: %v", p.ids)
	}
	p.done(`"1"`)
	p.done(`1`)
	if !idle() || len(p.ids) != 0 {
		t.Fatalf("after every answer: %v, idle %v", p.ids, idle())
	}
	p.done(`1`) // an extra answer does not go below zero
	p.add(`9`)
	if idle() {
		t.Fatal("idle with 9 pending")
	}
	start := time.Now()
	p.wait(10 * time.Millisecond)
	if time.Since(start) < 10*time.Millisecond {
		t.Error("wait returned with a request pending")
	}
}
