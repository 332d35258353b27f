// Ctrl-C (SIGINT), SIGTERM and SIGHUP end the program cleanly: one line on stderr, no partial
// output (the staging folders of unfinished io::OutputFolder are removed), exit code 128 + the
// signal's number.
#pragma once

namespace advect::app {

// Call first in main(), before any thread exists: it blocks the signals in this thread (every
// thread created later inherits that) and starts the one thread that waits for them.
void handle_interrupts();

}  // namespace advect::app
