// The lesson player: resumes where the learner stopped, and reports the position every few seconds so they can
// resume on any device. Pages work without it; it only adds the resume and the reports.
(function () {
  'use strict';
  var video = document.getElementById('player');
  if (!video || !video.dataset.progressUrl) {
    return;
  }
  var url = video.dataset.progressUrl;
  var resumeAt = parseInt(video.dataset.resumeAt || '0', 10);
  var lastSent = -1;
  var token = document.querySelector('meta[name="csrf-token"]');

  function send(force) {
    var position = Math.floor(video.currentTime || 0);
    if (!force && Math.abs(position - lastSent) < 5) {
      return;
    }
    lastSent = position;
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token ? token.content : ''},
      body: JSON.stringify({position: position})
    }).catch(function () { /* the next report will try again */ });
  }

  video.addEventListener('loadedmetadata', function () {
    if (resumeAt > 0 && resumeAt < video.duration - 5) {
      video.currentTime = resumeAt;
    }
  });
  video.addEventListener('play', function () { send(true); });
  video.addEventListener('pause', function () { send(true); });
  video.addEventListener('ended', function () { send(true); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      send(true);
    }
  });
  setInterval(function () {
    if (!video.paused) {
      send(false);
    }
  }, 10000);
})();
