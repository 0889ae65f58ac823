package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// overloadCalls is how many calls the client sends at once: the load that
// once filled mcp-go's queue and stalled the read loop.
const overloadCalls = 400

// With jira-mcp saturated, the calls beyond its limit are answered busy at
// once, and the read loop keeps going: a ping is answered and a
// cancellation cancels its call while every running call is still
// blocked (their gate opens only after all of that has been seen). Before
// the limit, mcp-go's queue filled and its read loop ran a call itself,
// reading nothing more until that call ended.
func TestOverloadAnswersBusyAndKeepsReading(t *testing.T) {
	g := newGated()
	c := serveGated(t, g)
	for id := 1; id <= callLimit; id++ {
		c.call(strconv.Itoa(id), "slow")
	}
	g.waitStarted(t, callLimit)
	var busyIDs []string
	for id := callLimit + 1; id <= overloadCalls; id++ {
		c.call(strconv.Itoa(id), "slow")
		busyIDs = append(busyIDs, strconv.Itoa(id))
	}
	c.send(`{"jsonrpc":"2.0","id":"ping","method":"ping"}`)
	got, others := c.await(append([]string{`"ping"`}, busyIDs...)...)
	if len(others) > 0 {
		t.Errorf("unexpected messages before the gate opened: %v", others)
	}
	want := fmt.Sprintf("jira-mcp is busy with %d calls; retry in a moment", callLimit)
	for _, id := range busyIDs {
		res, _ := got[id]["result"].(map[string]any)
		meta, _ := res["_meta"].(map[string]any)
		if res["isError"] != true || meta["jira-mcp/error"] != "busy" || !strings.Contains(resultText(got[id]), want) {
			t.Fatalf("call %s beyond the limit answered %s, want isError, _meta busy and %q", id, resultText(got[id]), want)
		}
	}

	// Still saturated: the cancellation is read and cancels call 1. (Sent
	// only now, so that no call above waits for the slot it frees.)
	c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"user stopped it"}}`)
	if got, _ := c.await("1"); !strings.Contains(resultText(got["1"]), `"cancelled"`) {
		t.Errorf("cancelled call 1 answered %s", resultText(got["1"]))
	}

	g.open("slow")
	var running []string
	for id := 2; id <= callLimit; id++ {
		running = append(running, strconv.Itoa(id))
	}
	got, _ = c.await(running...)
	for _, id := range running {
		if txt := resultText(got[id]); !strings.Contains(txt, `"done"`) {
			t.Errorf("call %s answered %s, want done", id, txt)
		}
	}
	// The slots are free again.
	c.call(`"after"`, "")
	if got, _ := c.await(`"after"`); !strings.Contains(resultText(got[`"after"`]), `"done"`) {
		t.Errorf("call after the load answered %s", resultText(got[`"after"`]))
	}
	c.closeIn()
	c.rest()
}
