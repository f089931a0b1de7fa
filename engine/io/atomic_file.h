// Whole-file reads and crash-safe writes. A save replaces the target in one rename(2), so a
// reader (or a crash, or a full disk) sees either the old file or the complete new one, never a
// truncated mix: the bytes go to a temporary file in the same directory (rename is only atomic
// within one file system), are fsync'ed, and only then renamed over the target.
#pragma once

#include <cstddef>
#include <string>

namespace layerscope {

// Throws InputError("PATH: cannot write: <reason>") on any failure; the old target (if any) is
// then left intact and no temporary file remains.
void writeFileAtomically(const std::string& path, const std::string& bytes);

// The permission bits a file written at `path` gets, as writeFileAtomically gives them: those of
// the file it replaces, else 0666 minus the process umask. For writers that make their own
// temporary sibling (mkstemp and QTemporaryFile create it 0600) and rename it over `path`.
unsigned fileModeFor(const std::string& path);

// The whole file. Throws InputError("PATH: cannot open: <reason>") when it cannot be read, and
// InputError("PATH: file is larger than N bytes") when it exceeds maxBytes (a guard against
// reading a multi-gigabyte file named by mistake into memory).
std::string readFileBytes(const std::string& path, std::size_t maxBytes = std::size_t(-1));

}  // namespace layerscope
