// A benchmark baseline, never released: a Terraform provider in Go that serves the oVirt
// provider's exact schema (embedded from schema.bin, which build.ts writes) and does no work.
// Plan echoes the proposed state (a new object's null "id" becomes unknown), apply echoes the
// plan (unknowns become an id), read echoes the state. It speaks the plugin protocol as
// HashiCorp's Go SDKs do (go-plugin's AutoMTLS with a P-521 certificate, a unix socket,
// grpc-go), so bench/plan and bench/provider-scale can show what Terraform costs with any
// external provider of this schema: the floor under the targets of issue 13.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/encoding/protowire"
)

//go:embed schema.bin
var schema []byte

const magicKey = "TF_PLUGIN_MAGIC_COOKIE"
const magicValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

// rawCodec passes messages through as bytes: the handlers read and write protobuf themselves.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) String() string { return "proto" }
func (rawCodec) Name() string   { return "proto" }

// fields returns the last occurrence of each field number's bytes (length-delimited fields only).
func fields(msg []byte) map[protowire.Number][]byte {
	out := map[protowire.Number][]byte{}
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		msg = msg[n:]
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(msg)
			out[num] = v
			msg = msg[m:]
			continue
		}
		msg = msg[protowire.ConsumeFieldValue(num, typ, msg):]
	}
	return out
}

func field(num protowire.Number, v []byte) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// dynamic wraps msgpack bytes as a DynamicValue message.
func dynamic(msgpack []byte) []byte { return field(1, msgpack) }

var unknown = []byte{0xd4, 0, 0}
var nextID int64

// skip returns the length of the msgpack value at the start of b.
func skip(b []byte) int {
	c := b[0]
	be := func(at, size int) int {
		v := 0
		for i := 0; i < size; i++ {
			v = v<<8 | int(b[at+i])
		}
		return v
	}
	items := func(head, count int) int {
		at := head
		for i := 0; i < count; i++ {
			at += skip(b[at:])
		}
		return at
	}
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		return 1
	case c >= 0xa0 && c <= 0xbf:
		return 1 + int(c&0x1f)
	case c >= 0x90 && c <= 0x9f:
		return items(1, int(c&0x0f))
	case c >= 0x80 && c <= 0x8f:
		return items(1, 2*int(c&0x0f))
	}
	switch c {
	case 0xcc, 0xd0:
		return 2
	case 0xcd, 0xd1, 0xd4:
		return 3
	case 0xd5:
		return 4
	case 0xca, 0xce, 0xd2:
		return 5
	case 0xd6:
		return 6
	case 0xcb, 0xcf, 0xd3:
		return 9
	case 0xd7:
		return 10
	case 0xd8:
		return 18
	case 0xc4, 0xd9:
		return 2 + be(1, 1)
	case 0xc5, 0xda:
		return 3 + be(1, 2)
	case 0xc6, 0xdb:
		return 5 + be(1, 4)
	case 0xc7:
		return 3 + be(1, 1)
	case 0xc8:
		return 4 + be(1, 2)
	case 0xc9:
		return 6 + be(1, 4)
	case 0xdc:
		return items(3, be(1, 2))
	case 0xdd:
		return items(5, be(1, 4))
	case 0xde:
		return items(3, 2*be(1, 2))
	case 0xdf:
		return items(5, 2*be(1, 4))
	}
	panic(fmt.Sprintf("msgpack: unknown byte 0x%x", c))
}

// rewrite copies a msgpack object (a map at the top) and replaces the values `change` returns.
func rewrite(obj []byte, change func(key string, value []byte) []byte) []byte {
	if len(obj) == 0 || obj[0] == 0xc0 {
		return obj
	}
	head, count := 1, int(obj[0]&0x0f)
	switch obj[0] {
	case 0xde:
		head, count = 3, int(obj[1])<<8|int(obj[2])
	case 0xdf:
		head, count = 5, int(obj[1])<<24|int(obj[2])<<16|int(obj[3])<<8|int(obj[4])
	}
	out := append([]byte(nil), obj[:head]...)
	at := head
	for i := 0; i < count; i++ {
		klen := skip(obj[at:])
		key := obj[at : at+klen]
		vlen := skip(obj[at+klen:])
		value := obj[at+klen : at+klen+vlen]
		out = append(out, key...)
		if replaced := change(keyText(key), value); replaced != nil {
			out = append(out, replaced...)
		} else {
			out = append(out, value...)
		}
		at += klen + vlen
	}
	return out
}

func keyText(k []byte) string {
	switch {
	case k[0] >= 0xa0 && k[0] <= 0xbf:
		return string(k[1:])
	case k[0] == 0xd9:
		return string(k[2:])
	}
	return ""
}

func idValue() []byte {
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", atomic.AddInt64(&nextID, 1))
	return append([]byte{0xd9, byte(len(id))}, id...) // str8: a UUID is longer than a fixstr's 31 bytes
}

func isNull(dv []byte) bool {
	mp := fields(dv)[1]
	return len(mp) == 0 || mp[0] == 0xc0
}

// Each handler gets the request message and returns the response message.
var handlers = map[string]func(req []byte) []byte{
	"GetProviderSchema":          func([]byte) []byte { return schema },
	"GetMetadata":                metadata,
	"ValidateProviderConfig":     func([]byte) []byte { return nil },
	"ValidateResourceConfig":     func([]byte) []byte { return nil },
	"ValidateDataResourceConfig": func([]byte) []byte { return nil },
	"ConfigureProvider":          func([]byte) []byte { return nil },
	"StopProvider":               func([]byte) []byte { return nil },
	"UpgradeResourceState": func(req []byte) []byte {
		raw := fields(fields(req)[3])[1]
		return field(1, field(2, raw))
	},
	"ReadResource": func(req []byte) []byte {
		f := fields(req)
		return append(field(1, f[2]), field(3, f[3])...)
	},
	"PlanResourceChange": func(req []byte) []byte {
		f := fields(req)
		planned := fields(f[3])[1]
		if isNull(f[2]) {
			planned = rewrite(planned, func(key string, v []byte) []byte {
				if key == "id" && v[0] == 0xc0 {
					return unknown
				}
				return nil
			})
		}
		return append(field(1, dynamic(planned)), field(3, f[5])...)
	},
	"ApplyResourceChange": func(req []byte) []byte {
		f := fields(req)
		state := rewrite(fields(f[3])[1], func(key string, v []byte) []byte {
			if len(v) == 3 && v[0] == 0xd4 && v[1] == 0 {
				return idValue()
			}
			return nil
		})
		return append(field(1, dynamic(state)), field(2, f[5])...)
	},
	"ReadDataSource": func(req []byte) []byte {
		state := rewrite(fields(fields(req)[2])[1], func(key string, v []byte) []byte {
			if key == "id" && v[0] == 0xc0 {
				return idValue()
			}
			return nil
		})
		return field(1, dynamic(state))
	},
}

// metadata lists the schema's resource and data source names, with its server capabilities.
func metadata([]byte) []byte {
	var out []byte
	rest := schema
	for len(rest) > 0 {
		num, typ, n := protowire.ConsumeTag(rest)
		rest = rest[n:]
		m := protowire.ConsumeFieldValue(num, typ, rest)
		if typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(rest)
			switch num {
			case 2:
				out = append(out, field(4, field(1, fields(v)[1]))...)
			case 3:
				out = append(out, field(3, field(1, fields(v)[1]))...)
			case 6:
				out = append(out, field(1, v)...)
			}
		}
		rest = rest[m:]
	}
	return out
}

func unary(name string, handle func([]byte) []byte) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(_ interface{}, _ context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
			var in []byte
			if err := dec(&in); err != nil {
				return nil, err
			}
			out := handle(in)
			return &out, nil
		},
	}
}

func service(name string, methods []grpc.MethodDesc, streams []grpc.StreamDesc) *grpc.ServiceDesc {
	return &grpc.ServiceDesc{ServiceName: name, HandlerType: (*interface{})(nil), Methods: methods, Streams: streams}
}

// certificate generates the server's certificate as go-plugin's AutoMTLS does (ECDSA P-521).
func certificate() (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	check(err)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	check(err)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"HashiCorp"}},
		DNSNames:              []string{"localhost"},
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		NotBefore:             now.Add(-30 * time.Second),
		NotAfter:              now.Add(262980 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	check(err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	if os.Getenv(magicKey) != magicValue {
		fmt.Fprintln(os.Stderr, "this is a Terraform provider plugin (a benchmark baseline), started by Terraform only")
		os.Exit(1)
	}
	cert, der := certificate()
	clients := x509.NewCertPool()
	if !clients.AppendCertsFromPEM([]byte(os.Getenv("PLUGIN_CLIENT_CERT"))) {
		check(fmt.Errorf("PLUGIN_CLIENT_CERT holds no certificate"))
	}
	creds := credentials.NewTLS(&tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clients,
		MinVersion:   tls.VersionTLS12,
	})
	dir, err := os.MkdirTemp(os.Getenv("PLUGIN_UNIX_SOCKET_DIR"), "plugin")
	check(err)
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "provider.sock")
	lis, err := net.Listen("unix", socket)
	check(err)
	// CustomCodec: grpc-go 1.33 (Debian's) has no ForceServerCodec yet.
	server := grpc.NewServer(grpc.Creds(creds), grpc.CustomCodec(rawCodec{}), grpc.MaxRecvMsgSize(256<<20))
	var provider []grpc.MethodDesc
	for name, h := range handlers {
		provider = append(provider, unary(name, h))
	}
	server.RegisterService(service("tfplugin6.Provider", provider, nil), struct{}{})
	server.RegisterService(service("plugin.GRPCController", []grpc.MethodDesc{unary("Shutdown", func([]byte) []byte {
		go server.GracefulStop()
		return nil
	})}, nil), struct{}{})
	server.RegisterService(service("plugin.GRPCStdio", nil, []grpc.StreamDesc{{
		StreamName:    "StreamStdio",
		ServerStreams: true,
		Handler:       func(interface{}, grpc.ServerStream) error { return nil },
	}}), struct{}{})
	// HealthCheckResponse{status: SERVING}
	server.RegisterService(service("grpc.health.v1.Health", []grpc.MethodDesc{unary("Check", func([]byte) []byte {
		return []byte{0x08, 0x01}
	})}, nil), struct{}{})
	fmt.Printf("1|6|unix|%s|grpc|%s\n", socket, base64.RawStdEncoding.EncodeToString(der))
	check(server.Serve(lis))
}
