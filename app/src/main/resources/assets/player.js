// The lesson player: resumes where the learner stopped, and reports the position every few seconds so they can
// resume on any device; a moment named in the address or a transcript link seeks it. Pages work without it; it only
// adds the resume, the seeking and the reports.
(function () {
  'use strict';
  var video = document.getElementById('player');
  if (!video || !video.dataset.progressUrl) {
    return;
  }
  var url = video.dataset.progressUrl;
  var resumeAt = parseInt(video.dataset.resumeAt || '0', 10);
  var lastSent = -1;

  // A moment of the video: #t=SECONDS in the page's address (where a search hit links) or a transcript cue's link
  // (whose own address, VIDEO#t=SECONDS, is for browsers without this script). Either seeks this player instead.
  function moment(text) {
    var found = /^#?t=(\d+(?:\.\d+)?)$/.exec(text || '');
    return found ? parseFloat(found[1]) : null;
  }
  function seek(seconds) {
    if (video.readyState >= 1) {
      video.currentTime = seconds;
    } else {
      video.addEventListener('loadedmetadata', function () { video.currentTime = seconds; }, {once: true});
    }
  }
  if (moment(location.hash) !== null) {
    resumeAt = 0;
    seek(moment(location.hash));
  }
  window.addEventListener('hashchange', function () {
    if (moment(location.hash) !== null) {
      seek(moment(location.hash));
    }
  });
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[data-seek]') : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    seek(parseFloat(link.dataset.seek));
    history.replaceState(null, '', '#t=' + link.dataset.seek);
    video.focus();
    video.play().catch(function () { /* the learner presses play */ });
  });
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
