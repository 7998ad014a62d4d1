module github.com/bouncenote/bouncenote

go 1.26.8

require (
	github.com/emersion/go-message v0.18.2
	golang.org/x/text v0.44.0
)

require (
	github.com/emersion/go-milter v0.5.0 // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/sirupsen/logrus v1.10.2 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.13.0 // indirect
)
