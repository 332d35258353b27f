#include "Interrupts.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "advect/io/OutputFolder.h"

namespace advect::app {

void handle_interrupts() {
  sigset_t signals;
  sigemptyset(&signals);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A thread that waits with sigwait() may do what a signal handler may not (remove folders).
  std::thread([signals] {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) return;
    io::remove_unfinished_outputs();
    std::fprintf(stderr, "%sadvect: interrupted (%s): stopped, no partial output written\n",
                 isatty(STDERR_FILENO) ? "\n" : "", strsignal(signal));
    std::fflush(stderr);
    std::_Exit(128 + signal);
  }).detach();
}

}  // namespace advect::app
