// SQLite 3 (the Arena's results store: one embedded file, crash-safe commits).
#include <sqlite3.h>
