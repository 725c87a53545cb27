#!/usr/bin/env bash
# How media/hello-java.mp4 was made: a 12-second test pattern with a tone, small enough to commit.
# Needs ffmpeg (apt-get install ffmpeg). The site reads the duration from the file's MP4 header.
# Its captions, hello-java.en.vtt, are written by hand: four cues that end at 0:12, the video's end.
set -euo pipefail
cd "$(dirname "$0")"
ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=480x270:rate=24" \
  -f lavfi -i "sine=frequency=330:sample_rate=22050" -t 12 \
  -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 36 -preset veryslow \
  -c:a aac -b:a 24k -ac 1 -movflags +faststart hello-java.mp4
