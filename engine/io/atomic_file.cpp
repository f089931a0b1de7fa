#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "errors.h"

namespace layerscope {

namespace {

InputError writeError(const std::string& path, int error) {
  return InputError(path + ": cannot write: " + std::strerror(error));
}

// The directory part of `path` ("." when there is none), where the temporary file must live.
std::string directoryOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// The process umask without changing it: umask(2) can only be read by setting it, which would
// race with other threads creating files. Linux >= 4.7 reports it in /proc/self/status.
mode_t currentUmask() {
  if (FILE* status = std::fopen("/proc/self/status", "re")) {
    char line[256];
    unsigned mask = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, status))
      found = std::sscanf(line, "Umask: %o", &mask) == 1;
    std::fclose(status);
    if (found) return static_cast<mode_t>(mask);
  }
  return 022;
}

// Writes all of `bytes` to fd, retrying short writes; returns 0 or the errno of the failure.
int writeAll(int fd, const std::string& bytes) {
  const char* data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

// A device or a pipe (--stats-csv /dev/stdout, a FIFO, /dev/full): there is nothing to replace
// atomically, and renaming over it would swap the device for a regular file. Write through.
void writeThrough(const std::string& path, const std::string& target, const std::string& bytes) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw writeError(path, errno);
  const int error = writeAll(fd, bytes);
  if (error != 0) {
    ::close(fd);
    throw writeError(path, error);
  }
  if (::close(fd) != 0) throw writeError(path, errno);
}

}  // namespace

unsigned fileModeFor(const std::string& path) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) return existing.st_mode & 07777;
  return 0666 & ~currentUmask();
}

void writeFileAtomically(const std::string& path, const std::string& bytes) {
  if (path.empty()) throw InputError("(empty file name): cannot write: no file name given");
  // A symlink is followed: the file it points to is replaced and the link stays a link.
  std::string target = path;
  if (char* resolved = ::realpath(path.c_str(), nullptr)) {
    target = resolved;
    std::free(resolved);
  }
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && !S_ISREG(existing.st_mode) && !S_ISDIR(existing.st_mode)) {
    writeThrough(path, target, bytes);
    return;
  }
  // A hidden sibling, ".NAME.tmp-XXXXXX": same directory, so rename(2) cannot cross devices.
  const auto slash = target.find_last_of('/');
  const std::string baseName = slash == std::string::npos ? target : target.substr(slash + 1);
  std::string tempName = directoryOf(target) + "/." + baseName + ".tmp-XXXXXX";
  std::vector<char> nameBuffer(tempName.begin(), tempName.end());
  nameBuffer.push_back('\0');
  const int fd = ::mkstemp(nameBuffer.data());
  if (fd < 0) throw writeError(path, errno);
  tempName = nameBuffer.data();

  // On any failure below: close, remove the temporary file, report the first error.
  const auto fail = [&](int error) {
    ::close(fd);
    ::unlink(tempName.c_str());
    return writeError(path, error);
  };

  // mkstemp creates the file with mode 0600; a saved experiment or model should be readable
  // like any file the user creates (0666 minus the umask), or like the file it replaces.
  mode_t mode;
  if (exists) {
    mode = existing.st_mode & 07777;
  } else {
    mode = 0666 & ~currentUmask();
  }
  if (::fchmod(fd, mode) != 0) throw fail(errno);

  if (const int error = writeAll(fd, bytes); error != 0) throw fail(error);
  // fsync before rename: otherwise a crash can leave the new name pointing at an empty file.
  if (::fsync(fd) != 0) throw fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(tempName.c_str());
    throw writeError(path, error);
  }
  if (::rename(tempName.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::unlink(tempName.c_str());
    throw writeError(path, error);
  }
}

std::string readFileBytes(const std::string& path, std::size_t maxBytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    throw InputError(path + ": cannot open: " + std::strerror(error));
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    throw InputError(path + ": cannot open: " + std::strerror(EISDIR));
  }
  if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) > maxBytes) {
    ::close(fd);
    throw InputError(path + ": file is larger than " + std::to_string(maxBytes) + " bytes");
  }
  std::string bytes;
  if (S_ISREG(info.st_mode)) bytes.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      throw InputError(path + ": cannot read: " + std::strerror(error));
    }
    // Pipes and special files have no size up front: enforce the limit while reading.
    if (bytes.size() + static_cast<std::size_t>(n) > maxBytes) {
      ::close(fd);
      throw InputError(path + ": file is larger than " + std::to_string(maxBytes) + " bytes");
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

}  // namespace layerscope
