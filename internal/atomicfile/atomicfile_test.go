package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// temporaries lists the temporary files left in dir.
func temporaries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range ents {
		if strings.Contains(e.Name(), TempInfix) {
			left = append(left, e.Name())
		}
	}
	return left
}

// TestCommit: Rename and RenameNoReplace put the data at the destination
// with its mode, or fail leaving the destination as it was; either way no
// temporary file is left.
func TestCommit(t *testing.T) {
	data := []byte("Subject: new\n\nnew\n")
	tests := []struct {
		name      string
		noReplace bool
		inTheWay  string // "", "file", "dir", "dangling" (a symlink to nothing)
		wantErr   string // "" for success
	}{
		{"rename to a new name", false, "", ""},
		{"rename over a file", false, "file", ""},
		{"rename over a directory", false, "dir", "cannot rename "},
		{"no-replace to a new name", true, "", ""},
		{"no-replace over a file", true, "file", "a file of that name exists"},
		{"no-replace over a directory", true, "dir", "a file of that name exists"},
		{"no-replace over a dangling symlink", true, "dangling", "a file of that name exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			dst := filepath.Join(dir, "x.eml")
			switch tt.inTheWay {
			case "file":
				if err := os.WriteFile(dst, []byte("old\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			case "dir":
				if err := os.MkdirAll(filepath.Join(dst, "sub"), 0o755); err != nil {
					t.Fatal(err)
				}
			case "dangling":
				if err := os.Symlink("nowhere", dst); err != nil {
					t.Fatal(err)
				}
			}
			f, err := Write(dst, data, 0o640, nil)
			if err != nil {
				t.Fatal(err)
			}
			if left := temporaries(t, dir); len(left) != 1 || filepath.Join(dir, left[0]) != f.Name() {
				t.Fatalf("temporary files %v, want %s", left, f.Name())
			}
			commit := f.Rename
			if tt.noReplace {
				commit = f.RenameNoReplace
			}
			dirs := &Dirs{}
			err = commit(dst, dirs)
			if left := temporaries(t, dir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				if tt.noReplace && !errors.Is(err, ErrExist) {
					t.Errorf("error %v does not wrap ErrExist", err)
				}
				if st, lerr := os.Lstat(dst); lerr != nil || (tt.inTheWay == "dir") != st.IsDir() {
					t.Errorf("%s changed: %v", dst, lerr)
				}
				if tt.inTheWay == "file" {
					if got, _ := os.ReadFile(dst); string(got) != "old\n" {
						t.Errorf("the file in the way was changed: %q", got)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(dst)
			if err != nil || string(got) != string(data) {
				t.Errorf("destination holds %q, %v", got, err)
			}
			if st, _ := os.Stat(dst); st.Mode().Perm() != 0o640 {
				t.Errorf("mode %v, want 0640", st.Mode().Perm())
			}
			if !slices.Equal(dirs.pending, []string{dir}) {
				t.Errorf("directories to fsync %v, want [%s]", dirs.pending, dir)
			}
		})
	}
}

// TestWriteFails: a temporary file that cannot be created says where.
func TestWriteFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := Write(filepath.Join(dir, "x.eml"), []byte("x"), 0o644, nil)
	want := "cannot create a temporary file in " + dir + ": no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestBatch: items are committed in the order they were added, files
// fsynced before their item's commit; a batch commits when MaxFiles files
// or MaxBytes bytes are queued, and an item without a file waits for the
// items before it but is committed at once when nothing is queued.
func TestBatch(t *testing.T) {
	type item struct {
		name string
		f    *File
	}
	tests := []struct {
		name     string
		maxFiles int
		maxBytes int
		sizes    []int // the file size of each item; -1: no file
		want     []string
	}{
		// want: the items committed by each Add, then by Flush
		{"batches of two files", 2, 0, []int{1, 1, 1, 1, 1}, []string{"", "0 1", "", "2 3", "", "4"}},
		{"no file, nothing queued", 2, 0, []int{-1, 1, -1, 1, -1}, []string{"0", "", "", "1 2 3", "4", ""}},
		{"bytes end a batch", 10, 100, []int{60, 30, 20, 200}, []string{"", "", "0 1 2", "3", ""}},
		{"batches of one", 1, 0, []int{1, -1, 1}, []string{"0", "1", "2", ""}},
		{"defaults", 0, 0, []int{1, 1, 1}, []string{"", "", "", "0 1 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var committed []string
			b := Batch[item]{MaxFiles: tt.maxFiles, MaxBytes: tt.maxBytes}
			b.Commit = func(it item) {
				if it.f != nil {
					if !it.f.synced {
						t.Errorf("%s committed before its fsync", it.name)
					}
					if err := it.f.RenameNoReplace(filepath.Join(dir, it.name), nil); err != nil {
						t.Error(err)
					}
				}
				committed = append(committed, it.name)
			}
			var got []string
			step := func() {
				got = append(got, strings.Join(committed, " "))
				committed = nil
			}
			for i, size := range tt.sizes {
				it := item{name: fmt.Sprint(i)}
				if size >= 0 {
					f, err := Write(filepath.Join(dir, it.name), make([]byte, size), 0o644, nil)
					if err != nil {
						t.Fatal(err)
					}
					it.f = f
				}
				b.Add(it, it.f)
				step()
			}
			b.Flush()
			step()
			if !slices.Equal(got, tt.want) {
				t.Errorf("committed %q, want %q", got, tt.want)
			}
			if left := temporaries(t, dir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestDirsMkdirAll: a directory is created once; a failure is not
// remembered.
func TestDirsMkdirAll(t *testing.T) {
	root := t.TempDir()
	d := &Dirs{}
	sub := filepath.Join(root, "a", "b")
	if err := d.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(sub); err != nil || !st.IsDir() {
		t.Fatalf("%s not created: %v", sub, err)
	}
	// Removed behind its back, it is not looked at again.
	if err := os.Remove(sub); err != nil {
		t.Fatal(err)
	}
	if err := d.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sub); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s created a second time: %v", sub, err)
	}
	// A file where a directory must go fails each time until it is gone.
	blocked := filepath.Join(root, "file", "c")
	if err := os.WriteFile(filepath.Join(root, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := d.MkdirAll(blocked, 0o755); err == nil {
			t.Fatalf("MkdirAll below a file: no error")
		}
	}
	if err := os.Remove(filepath.Join(root, "file")); err != nil {
		t.Fatal(err)
	}
	if err := d.MkdirAll(blocked, 0o755); err != nil {
		t.Errorf("after the file is gone: %v", err)
	}
}
