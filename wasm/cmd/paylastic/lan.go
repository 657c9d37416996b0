package main

import (
	"errors"
	"fmt"
	"net"
	"strings"
)

// lanIP is the address other devices on this machine's network reach it
// at (make run LAN=1), from the interfaces that are up.
func lanIP() (net.IP, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list network interfaces: %w", err)
	}
	var cands []iface
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := i.Addrs()
		if err != nil {
			continue
		}
		cands = append(cands, iface{name: i.Name, addrs: addrs})
	}
	ip := pickLAN(cands)
	if ip == nil {
		return nil, errors.New("-lan: no private IPv4 address on any interface that is up (is Wi-Fi connected?)")
	}
	return ip, nil
}

// iface is what pickLAN needs of a network interface.
type iface struct {
	name  string
	addrs []net.Addr
}

// virtual are name prefixes of interfaces a phone cannot reach: container
// bridges, VM networks, VPN tunnels.
var virtual = []string{"docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "cni", "flannel", "tun", "tap", "utun", "wg", "zt", "tailscale", "lo"}

// pickLAN chooses the address a phone on the same Wi-Fi can reach: an IPv4
// address in a private range (RFC 1918) of an interface that is not
// virtual, 192.168/16 first (home and office Wi-Fi), then 10/8, then
// 172.16/12 (also Docker's range, so last). nil when there is none.
func pickLAN(ifs []iface) net.IP {
	var best net.IP
	bestRank := 0
	for _, i := range ifs {
		if isVirtual(i.name) {
			continue
		}
		for _, a := range i.addrs {
			n, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip := n.IP.To4()
			if ip == nil || !ip.IsPrivate() {
				continue
			}
			rank := 1 // 172.16/12
			switch {
			case ip[0] == 192:
				rank = 3
			case ip[0] == 10:
				rank = 2
			}
			if rank > bestRank {
				best, bestRank = ip, rank
			}
		}
	}
	return best
}

func isVirtual(name string) bool {
	for _, p := range virtual {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// lanListen is the listen address for -lan: ip with the port of addr.
func lanListen(addr string, ip net.IP) string {
	port := "8787"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
		port = p
	}
	return net.JoinHostPort(ip.String(), port)
}
