//go:build !unix

package workertest

import (
	"os"
	"syscall"
)

// Without Unix process groups Close can only stop wrangler itself.
func sysProcAttr() *syscall.SysProcAttr { return nil }
func terminate(p *os.Process)           { _ = p.Kill() }
func killGroup(p *os.Process)           { _ = p.Kill() }
