// Command bouncenote explains bounce messages: it reads delivery status
// notifications and adds plain-language explanations to them.
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one subcommand. It returns the process exit status.
type command struct {
	name    string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file in its init function.
var commands []command

func register(c command) { commands = append(commands, c) }

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bouncenote COMMAND [options] [args]")
	fmt.Fprintln(w, "       bouncenote help [COMMAND]")
	fmt.Fprintln(w, "       bouncenote --version")
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "Run 'bouncenote COMMAND -h' for a command's options.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a command. Help (-h, --help, help, help COMMAND) goes
// to stdout with status 0; a missing or unknown command is a usage error:
// stderr, status 2.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "bouncenote: no command given")
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "help":
		if len(args) == 1 || args[1] == "help" {
			usage(stdout)
			return 0
		}
		// help CMD [SUB]: the command's own -h.
		if c, ok := lookupCommand(args[1]); ok {
			return c.run(append(append([]string(nil), args[2:]...), "-h"), stdin, stdout, stderr)
		}
		fmt.Fprintf(stderr, "bouncenote help: unknown command %q\n", args[1])
		usage(stderr)
		return 2
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	if c, ok := lookupCommand(args[0]); ok {
		return c.run(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "bouncenote: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}
