// Where a data source's files are, and how a saved experiment names them so that it stays valid.
//
// A source names files as csv:PATH or idx:DIR / idx:IMAGES,LABELS. In memory the paths are
// those the process opens. In a file (an experiment, a lesson) they are written so that the file
// still works after a restart or on another machine:
//   - the data the app and CLI ship (the lessons' CSV files) as "@layerscope/NAME", a stable name
//     resolved against the bundled data folder of this process (the app extracts its resources
//     to a temporary folder that is gone after a restart; an install has share/layerscope/data);
//   - a file in the experiment's folder or below it relative to that folder;
//   - anything else as it is (absolute).
// Reading resolves the same names back: relative paths against the file's folder.
#pragma once

#include <string>

namespace layerscope {

inline constexpr const char* kBundledDataPrefix = "@layerscope/";

// The folder "@layerscope/NAME" resolves against (the app: its extracted or installed data
// folder; the CLI: the installed one, or LAYERSCOPE_LESSONS_DIR/../data). Thread-safe.
void setBundledDataDirectory(const std::string& directory);
std::string bundledDataDirectory();

// `source` with every file path made openable: "@layerscope/NAME" -> bundled folder/NAME, a
// relative path -> `folder`/path (when `folder` is non-empty). Other sources are returned as is.
std::string resolveDataSource(const std::string& source, const std::string& folder);

// `source` as a file in `folder` should name it (the reverse of resolveDataSource).
std::string portableDataSource(const std::string& source, const std::string& folder);

}  // namespace layerscope
