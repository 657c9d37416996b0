//go:build unix && !linux

package workertest

import "syscall"

func setPdeathsig(*syscall.SysProcAttr) {}
