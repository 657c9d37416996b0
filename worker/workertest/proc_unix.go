//go:build unix

package workertest

import (
	"os"
	"syscall"
)

// sysProcAttr puts wrangler in its own process group, so that killGroup
// stops it and workerd together; on Linux wrangler also gets a SIGTERM if
// the test binary dies without closing the Env (pdeathsig.go).
func sysProcAttr() *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	setPdeathsig(a)
	return a
}

// terminate asks wrangler to stop; it stops and reaps workerd.
func terminate(p *os.Process) { _ = p.Signal(syscall.SIGTERM) }

// killGroup kills whatever is left of wrangler's process group.
func killGroup(p *os.Process) { _ = syscall.Kill(-p.Pid, syscall.SIGKILL) }
