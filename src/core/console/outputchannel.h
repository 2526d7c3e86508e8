#pragma once

// Where a piece of console text came from. Kept apart from the console classes so the runner,
// the CLI and the widget can share it without pulling each other in.
enum class OutputChannel { StdOut, StdErr };

// The app's own reports in the console (not process output).
enum class MessageLevel { Info, Warning, Error };
