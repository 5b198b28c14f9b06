# Installing like a desktop application, and the Debian package (cpack -G DEB).
# Included at the end of the top-level CMakeLists.txt, after every target exists.
#
#   cmake --install build --prefix /usr/local      # programs, menu entry, icons, .qm, docs
#   (cd build && cpack -G DEB)                      # build/fewdata-workbench_<v>_<arch>.deb
#   bash scripts/package_check.sh build             # what CI checks about that package
include(GNUInstallDirs)

# --- The version the programs print: fewdata_version.h, rewritten at every build only when
# the version or the checkout's `git describe` changed (see cmake/FewDataVersionHeader.cmake).
set(FEWDATA_GENERATED_DIR "${PROJECT_BINARY_DIR}/generated")
add_custom_target(fewdata_version
  COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
          "-DOUTPUT=${FEWDATA_GENERATED_DIR}/fewdata_version.h" "-DVERSION=${PROJECT_VERSION}"
          -P "${CMAKE_CURRENT_LIST_DIR}/FewDataVersionHeader.cmake"
  BYPRODUCTS "${FEWDATA_GENERATED_DIR}/fewdata_version.h"
  VERBATIM)
foreach(target fewdata_core fewdata-cli fewdata)
  if(TARGET ${target})
    add_dependencies(${target} fewdata_version)
    target_include_directories(${target} PRIVATE "${FEWDATA_GENERATED_DIR}")
  endif()
endforeach()

# --- Documentation: /usr/share/doc/fewdata-workbench/{README.md,docs/...}, the layout the
# README's links expect. docs/study's run folders (config, result, metrics; 2.2 MB, about 0.35 MB in
# the package) stay: `fewdata-cli export <docdir>/docs/study/<folder>` rebuilds the
# README's tables from them. Weights and feature caches (*.pt) never go in.
set(FEWDATA_INSTALL_DOCDIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/fewdata-workbench"
    CACHE STRING "Where the README and docs/ are installed (relative to the prefix)")
file(GLOB FEWDATA_TOP_DOCS "${PROJECT_SOURCE_DIR}/*.md")
install(FILES ${FEWDATA_TOP_DOCS} DESTINATION "${FEWDATA_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${FEWDATA_INSTALL_DOCDIR}/docs"
        PATTERN "*.pt" EXCLUDE PATTERN ".*" EXCLUDE)

# --- The Debian package. The library dependencies come from the binaries (dpkg-shlibdeps,
# package dpkg-dev): libtorch1.13, Qt 6, OpenCV, igraph, ...; the data and the BLAS the
# programs load at run time are named here.
set(FEWDATA_PACKAGE_MAINTAINER "FewData Workbench maintainers <maintainers@fewdata.invalid>"
    CACHE STRING "Maintainer field of the Debian package: Name <email>")
set(CPACK_GENERATOR "DEB" CACHE STRING "Package generators cpack runs without -G")
set(CPACK_PACKAGE_NAME "fewdata-workbench")
set(CPACK_PACKAGE_VENDOR "FewData Workbench")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${FEWDATA_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "image classification workbench for very small training sets")
set(CPACK_PACKAGE_DESCRIPTION
"FewData Workbench trains and compares image classifiers when only a few dozen
images per class are available and no pre-trained weights are used: ResNets
from scratch with MixUp, CutMix, cosine loss, supervised contrastive learning,
Siamese networks, Reptile and a graph convolutional network, on CPU or CUDA
(LibTorch).

The package contains the desktop workbench (fewdata: dataset browser,
augmentation preview, experiment queue, live training charts, graph viewer,
results and export; English and German) and the command line (fewdata-cli:
train, compare, export, predict, score). Its default dataset is Fashion-MNIST
from dataset-fashion-mnist, reduced to 50 images per class.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "fewdata-workbench")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")  # fewdata-workbench_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# fashion_mnist.cpp reads /usr/share/datasets/fashion-mnist; Debian's LibTorch needs an
# OpenBLAS at run time that shlibdeps cannot see (it is loaded through libblas.so.3).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "dataset-fashion-mnist, libopenblas0-pthread")
# Qt's own German strings (dialog buttons, --help) for the German interface.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")

# A source tarball (cpack --config CPackSourceConfig.cmake) builds without git: the version
# header then carries the plain project version.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "fewdata-workbench-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "^${PROJECT_SOURCE_DIR}/\\\\.git/" "^${PROJECT_SOURCE_DIR}/\\\\.git$"
    "^${PROJECT_SOURCE_DIR}/build[^/]*/" "^${PROJECT_SOURCE_DIR}/runs/"
    "^${PROJECT_SOURCE_DIR}/third_party_carry/" "\\\\.user$")

include(CPack)
