/* The 听新闻 player: enhances the page's <audio controls> when JavaScript runs.
 *
 * Without this script the page still has the browser's own audio controls,
 * the chapter list (as times) and the whole transcript. With it: play/pause,
 * back/forward 15 s, speed, a seek slider whose value is spoken, chapter
 * buttons that seek and mark the current chapter, the sentence being spoken
 * highlighted in the transcript (cue times come from the VTT, rendered into
 * the page at publish time) and click-to-seek on it. Keyboard shortcuts
 * (K, J, L) work only while focus is inside the player (WCAG 2.1.4).
 * Lock screens, headsets and car controls reach it through the Media Session:
 * they show the episode's title, source and cover, and their buttons play,
 * pause, skip 15 s and go to the previous or next chapter.
 * On the index each episode has the browser's audio controls; with this script
 * the lock screen names the one playing and 连续播放 goes on to the next.
 */
(function () {
  "use strict";

  var SKIP_S = 15;
  var RESTART_S = 3; // "previous chapter" within this of a chapter's start goes one further back

  function spoken(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return (h ? h + "小时" : "") + (h || m ? m + "分" : "") + s + "秒";
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function Player(root) {
    this.root = root;
    this.audio = root.querySelector(".player-audio");
    this.controls = root.querySelector(".player-controls");
    this.play = root.querySelector(".player-play");
    this.playLabel = root.querySelector(".player-play-label");
    this.playIcon = root.querySelector(".player-icon");
    this.back = root.querySelector(".player-back");
    this.forward = root.querySelector(".player-forward");
    this.speed = root.querySelector(".player-speed");
    this.slider = root.querySelector(".player-slider");
    this.time = root.querySelector(".player-time");
    this.durationLabel = root.querySelector(".player-duration");
    this.status = root.querySelector(".player-status");
    this.chapters = Array.prototype.slice.call(root.querySelectorAll(".chapter"));
    this.cues = Array.prototype.slice.call(root.querySelectorAll(".cue"));
    this.transcript = root.querySelector(".transcript-body");
    this.duration = Number(root.getAttribute("data-duration-ms")) / 1000;
    this.currentChapter = -1;
    this.currentCue = -1;
    this.dragging = false;
    this.init();
  }

  Player.prototype.init = function () {
    var self = this;
    // Our controls replace the browser's; the <audio> stays as the engine.
    this.audio.removeAttribute("controls");
    this.audio.hidden = true;
    this.controls.hidden = false;
    this.chapters.forEach(function (button, index) {
      button.disabled = false;
      button.addEventListener("click", function () { self.seekChapter(index); });
    });
    // Sentences: click to seek; for the keyboard, one tab stop in the transcript
    // (a roving tabindex), arrow keys between sentences, Enter or Space to seek.
    this.cues.forEach(function (cue, index) {
      cue.classList.add("is-seekable");
      cue.tabIndex = index === 0 ? 0 : -1;
      cue.setAttribute("aria-describedby", "cue-hint");
      cue.addEventListener("click", function () { self.seekCue(index); });
      cue.addEventListener("keydown", function (event) { self.onCueKey(event, index); });
    });
    this.rovingCue = this.cues.length ? 0 : -1;
    if (this.transcript && this.cues.length) {
      // the sentences are the tab stop now; the scroll box needs none of its own
      this.transcript.removeAttribute("tabindex");
    }

    this.play.addEventListener("click", function () { self.toggle(); });
    this.back.addEventListener("click", function () { self.skip(-SKIP_S); });
    this.forward.addEventListener("click", function () { self.skip(SKIP_S); });
    this.speed.addEventListener("change", function () {
      self.audio.playbackRate = Number(self.speed.value);
      self.announce("语速 " + self.speed.options[self.speed.selectedIndex].text);
    });
    this.slider.addEventListener("input", function () {
      self.dragging = true;
      self.seek(Number(self.slider.value));
    });
    this.slider.addEventListener("change", function () { self.dragging = false; });

    this.audio.addEventListener("play", function () { self.renderPlaying(true); });
    this.audio.addEventListener("pause", function () { self.renderPlaying(false); });
    this.audio.addEventListener("ended", function () { self.announce("播放结束"); });
    this.audio.addEventListener("timeupdate", function () { self.renderTime(); });
    this.audio.addEventListener("seeked", function () { self.renderTime(); });
    this.audio.addEventListener("loadedmetadata", function () {
      if (isFinite(self.audio.duration) && self.audio.duration > 0) {
        self.duration = self.audio.duration;
        self.slider.max = String(Math.ceil(self.duration));
        self.durationLabel.textContent = clock(self.duration);
      }
      self.renderTime();
    });
    this.audio.addEventListener("error", function () {
      self.announce("音频无法加载");
    });
    this.root.addEventListener("keydown", function (event) { self.onKey(event); });
    // embed.js asks the player to stop when its 听新闻 panel is closed
    window.addEventListener("message", function (event) {
      if (event.data === "briefing:pause") { self.audio.pause(); }
    });
    this.initMediaSession();
    this.keepFocusClearOfControls();
    this.renderTime();

    // The embed's 听新闻 button was the user's request to listen (WCAG 1.4.2 allows it).
    if (this.root.getAttribute("data-autoplay-allowed") === "true" && location.hash === "#play") {
      this.audio.play().catch(function () { /* the browser wants a click first */ });
    }
  };

  Player.prototype.toggle = function () {
    if (this.audio.paused) {
      var self = this;
      this.audio.play().catch(function () { self.announce("无法播放音频"); });
    } else {
      this.audio.pause();
    }
  };

  Player.prototype.seek = function (seconds) {
    var end = this.duration || this.audio.duration || 0;
    this.audio.currentTime = Math.min(Math.max(0, seconds), end);
    this.renderTime();
  };

  Player.prototype.skip = function (delta) {
    this.seek(this.audio.currentTime + delta);
    this.announce((delta < 0 ? "后退" : "前进") + Math.abs(delta) + "秒，" +
      spoken(this.audio.currentTime));
  };

  Player.prototype.seekChapter = function (index) {
    var button = this.chapters[index];
    this.seek(Number(button.getAttribute("data-start-ms")) / 1000);
    var title = button.querySelector(".chapter-title").textContent;
    this.announce("第" + (index + 1) + "章：" + title);
  };

  // The chapter playing now, from the time (not the highlight, which may lag a frame).
  Player.prototype.chapterAt = function (seconds) {
    return findIndex(this.chapters, seconds * 1000);
  };

  Player.prototype.previousChapter = function () {
    // Like a CD player: back to the start of this chapter, unless it has only just begun.
    var now = this.audio.currentTime;
    var index = this.chapterAt(now);
    if (index < 0) { this.seek(0); return; }
    var start = Number(this.chapters[index].getAttribute("data-start-ms")) / 1000;
    this.seekChapter(now - start < RESTART_S && index > 0 ? index - 1 : index);
  };

  Player.prototype.nextChapter = function () {
    var index = this.chapterAt(this.audio.currentTime);
    if (index + 1 < this.chapters.length) { this.seekChapter(index + 1); }
  };

  Player.prototype.keepFocusClearOfControls = function () {
    // The sticky controls (player.css) cover the top of the viewport; what the
    // browser scrolls into view (focus, find, links) must land below them (WCAG 2.4.11).
    var controls = this.controls;
    var html = document.documentElement;
    function update() {
      var sticky = getComputedStyle(controls).position === "sticky";
      html.style.scrollPaddingTop = sticky ? controls.offsetHeight + 8 + "px" : "";
    }
    update();
    if (window.ResizeObserver) { new ResizeObserver(update).observe(controls); }
    window.addEventListener("resize", update);
  };

  Player.prototype.initMediaSession = function () {
    if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") { return; }
    var self = this;
    showOnLockScreen(this.root, this.root);
    var handlers = {
      play: function () { self.audio.play().catch(function () { /* needs a gesture */ }); },
      pause: function () { self.audio.pause(); },
      seekbackward: function (details) { self.skip(-(details.seekOffset || SKIP_S)); },
      seekforward: function (details) { self.skip(details.seekOffset || SKIP_S); },
      seekto: function (details) { self.seek(details.seekTime); },
      previoustrack: function () { self.previousChapter(); },
      nexttrack: function () { self.nextChapter(); }
    };
    Object.keys(handlers).forEach(function (action) {
      try {
        navigator.mediaSession.setActionHandler(action, handlers[action]);
      } catch (error) { /* this browser does not know the action */ }
    });
    if (!this.chapters.length) {
      // no chapters: the track buttons would do nothing, so the lock screen hides them
      ["previoustrack", "nexttrack"].forEach(function (action) {
        try { navigator.mediaSession.setActionHandler(action, null); } catch (error) { /* ok */ }
      });
    }
  };

  // What the lock screen shows: title and source from `episode`'s data attributes,
  // album and cover from `channel`'s (the same element on an episode page).
  function showOnLockScreen(episode, channel) {
    if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") { return; }
    var artwork = channel.getAttribute("data-artwork");
    navigator.mediaSession.metadata = new MediaMetadata({
      title: episode.getAttribute("data-title") || document.title,
      artist: episode.getAttribute("data-artist") || "",
      album: channel.getAttribute("data-album") || "",
      artwork: artwork ? [{ src: new URL(artwork, location.href).href }] : []
    });
  }

  Player.prototype.renderMediaPosition = function () {
    if (!("mediaSession" in navigator) || !navigator.mediaSession.setPositionState) { return; }
    var duration = this.duration || this.audio.duration;
    if (!isFinite(duration) || duration <= 0) { return; }
    try {
      navigator.mediaSession.setPositionState({
        duration: duration,
        playbackRate: this.audio.playbackRate || 1,
        position: Math.min(this.audio.currentTime || 0, duration)
      });
    } catch (error) { /* a position past the end while metadata loads */ }
  };

  Player.prototype.seekCue = function (index) {
    var seconds = Number(this.cues[index].getAttribute("data-start-ms")) / 1000;
    this.seek(seconds);
    this.moveRovingCue(index);
    this.announce("跳到" + spoken(seconds));
  };

  Player.prototype.moveRovingCue = function (index) {
    if (index === this.rovingCue || index < 0) { return; }
    if (this.rovingCue >= 0) { this.cues[this.rovingCue].tabIndex = -1; }
    this.cues[index].tabIndex = 0;
    this.rovingCue = index;
  };

  Player.prototype.onCueKey = function (event, index) {
    var last = this.cues.length - 1;
    var target = null;
    if (event.key === "Enter" || event.key === " ") {
      this.seekCue(index);
      event.preventDefault();
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowRight") { target = Math.min(last, index + 1); }
    if (event.key === "ArrowUp" || event.key === "ArrowLeft") { target = Math.max(0, index - 1); }
    if (event.key === "Home") { target = 0; }
    if (event.key === "End") { target = last; }
    if (target === null) { return; }
    event.preventDefault();
    this.moveRovingCue(target);
    this.cues[target].focus();
  };

  Player.prototype.announce = function (message) {
    // Clear first so the same message twice is read twice (WCAG 4.1.3).
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  };

  Player.prototype.renderPlaying = function (playing) {
    this.playLabel.textContent = playing ? "暂停" : "播放";
    this.playIcon.textContent = playing ? "❚❚" : "▶";
    this.root.classList.toggle("is-playing", playing);
    if ("mediaSession" in navigator) {
      navigator.mediaSession.playbackState = playing ? "playing" : "paused";
    }
    this.announce(playing ? "正在播放" : "已暂停");
  };

  Player.prototype.renderTime = function () {
    var now = this.audio.currentTime || 0;
    if (!this.dragging) { this.slider.value = String(Math.floor(now)); }
    this.slider.setAttribute("aria-valuetext", spoken(now) + "，共" + spoken(this.duration));
    this.time.textContent = clock(now);
    this.markChapter(now * 1000);
    this.markCue(now * 1000);
    this.renderMediaPosition();
  };

  function findIndex(elements, ms) {
    // The last element that starts at or before ms (elements are in time order).
    var found = -1;
    for (var i = 0; i < elements.length; i++) {
      if (Number(elements[i].getAttribute("data-start-ms")) <= ms) { found = i; } else { break; }
    }
    return found;
  }

  Player.prototype.markChapter = function (ms) {
    var index = findIndex(this.chapters, ms);
    if (index === this.currentChapter) { return; }
    if (this.currentChapter >= 0) { this.chapters[this.currentChapter].removeAttribute("aria-current"); }
    if (index >= 0) { this.chapters[index].setAttribute("aria-current", "true"); }
    this.currentChapter = index;
  };

  Player.prototype.markCue = function (ms) {
    var index = findIndex(this.cues, ms);
    // In the pause after a sentence it stays marked until the next one starts.
    if (index === this.currentCue) { return; }
    if (this.currentCue >= 0) { this.cues[this.currentCue].classList.remove("is-current"); }
    if (index >= 0) {
      this.cues[index].classList.add("is-current");
      this.follow(this.cues[index]);
      // Tab into the transcript lands on the sentence being spoken, unless the
      // reader is moving through it right now.
      if (!this.transcript || !this.transcript.contains(document.activeElement)) {
        this.moveRovingCue(index);
      }
    }
    this.currentCue = index;
  };

  Player.prototype.follow = function (cue) {
    // Scroll only a transcript that is its own scroll box (the embed), never the page.
    var box = this.transcript;
    if (!box || box.scrollHeight <= box.clientHeight + 1) { return; }
    var top = cue.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + cue.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  };

  Player.prototype.onKey = function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    var target = event.target;
    if (target.tagName === "SELECT" || target.tagName === "TEXTAREA" ||
        (target.tagName === "INPUT" && target.type !== "range")) { return; }
    var key = event.key.toLowerCase();
    if (key === "k") { this.toggle(); } else if (key === "j") { this.skip(-SKIP_S); } else if (key === "l") { this.skip(SKIP_S); } else { return; }
    event.preventDefault();
  };

  function reportHeight() {
    // In an embed, tell embed.js on the news page how tall the iframe should be.
    if (window.parent === window || !document.body.classList.contains("embedded")) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ briefingHeight: height }, "*");
  }

  var CONTINUOUS_KEY = "briefing:continuous-play";

  function remembered(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; } // storage off
  }

  function remember(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* storage off: this visit only */ }
  }

  // The index: one episode plays at a time, the lock screen names it, and with
  // 连续播放 on (remembered across visits) an episode that ends starts the next
  // one down the list. The list is newest first, so "next" is the next older:
  // the listener who starts at the top hears the news in the order the page
  // (and a screen reader) presents it, from today's back, never a repeat.
  function startEpisodeList(list) {
    var audios = Array.prototype.slice.call(list.querySelectorAll(".episode-audio"));
    var control = document.querySelector(".continuous-play");
    var toggle = document.querySelector(".continuous-play-switch");
    var status = document.querySelector(".continuous-play-status");
    if (!audios.length || !control || !toggle) { return; }
    control.hidden = false;
    toggle.checked = remembered(CONTINUOUS_KEY) === "on";
    toggle.addEventListener("change", function () {
      remember(CONTINUOUS_KEY, toggle.checked ? "on" : "off");
    });
    audios.forEach(function (audio, index) {
      var item = audio.closest("li");
      audio.addEventListener("play", function () {
        audios.forEach(function (other) { if (other !== audio) { other.pause(); } });
        showOnLockScreen(item, list);
      });
      audio.addEventListener("ended", function () {
        var next = audios[index + 1];
        if (!toggle.checked || !next) { return; }
        next.currentTime = 0;
        next.play().then(function () {
          if (status) { status.textContent = "连续播放：" + next.closest("li").getAttribute("data-title"); }
        }).catch(function () { /* the browser wants a click first */ });
      });
    });
  }

  function start() {
    var roots = document.querySelectorAll(".player");
    for (var i = 0; i < roots.length; i++) { roots[i].briefingPlayer = new Player(roots[i]); }
    var list = document.querySelector(".episode-list");
    if (list) { startEpisodeList(list); }
    reportHeight();
    if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
