/*
 * Welcoming Atlas map: state outlines and community pins on the page's Folium map.
 *
 * The server renders the map (app/maps.py) and calls AtlasMap.init with the id of
 * a JSON script element holding the URLs and the category key (data, never code). Pins come from the GeoJSON API with the same filter as the
 * page; popups fetch their community's initiatives when opened. Everything the
 * map shows is also in the server-rendered list, which works without JavaScript.
 */
(function () {
  "use strict";

  // a divIcon whose element carries an accessible name (used for clusters)
  const LabelledIcon = L.DivIcon.extend({
    createIcon(oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      div.setAttribute("aria-label", this.options.label);
      return div;
    },
  });

  // the page's words (app/views/common.py, map_messages): "%(name)s" placeholders, and
  // plurals as {one, other} forms chosen by the language's plural rules
  let messages = {};
  // made once: every pin's and cluster's label counts something (hundreds a page)
  let pluralRules = new Intl.PluralRules("en");
  let numbers = new Intl.NumberFormat("en");
  function say(template, values = {}) {
    return template.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? values[name] : whole));
  }
  function plural(count, forms) {
    return say(forms[pluralRules.select(count)] || forms.other, { count: numbers.format(count) });
  }
  // catalog text (titles, summaries) is English on a page in another language
  function markEnglish(element) {
    if (messages.language !== "en") element.lang = "en";
  }

  // the community nearest a cluster's centre names it for screen readers
  function nearestPlace(cluster) {
    const centre = cluster.getLatLng();
    let best = null;
    let bestDistance = Infinity;
    for (const marker of cluster.getAllChildMarkers()) {
      if (!marker.options.place) continue;
      const distance = centre.distanceTo(marker.getLatLng());
      if (distance < bestDistance) {
        best = marker.options.place;
        bestDistance = distance;
      }
    }
    return best;
  }

  function clusterIcon(cluster) {
    const count = cluster.getChildCount();
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    const place = nearestPlace(cluster);
    return new LabelledIcon({
      html: `<span>${count}</span>`,
      className: `atlas-cluster atlas-cluster-${size}`,
      iconSize: [40, 40],
      label: place
        ? say(messages.cluster, { communities: plural(count, messages.communities), place: `${place.name}, ${place.state}` })
        : plural(count, messages.communities),
    });
  }

  // one icon per combination of categories, shared by every pin that has it
  function iconMaker(key) {
    const cache = new Map();
    return function iconFor(slugs) {
      const id = slugs.join(" ");
      if (!cache.has(id)) {
        const first = key[slugs[0]];
        const colours = slugs.map((slug) => key[slug].colour);
        const ring = colours.length > 1
          ? `conic-gradient(${colours.map((c, i) => `${c} ${(i * 100) / colours.length}% ${((i + 1) * 100) / colours.length}%`).join(", ")})`
          : first.colour;
        const more = slugs.length > 1 ? `<span class="atlas-pin-more" aria-hidden="true">+${slugs.length - 1}</span>` : "";
        cache.set(id, L.divIcon({
          html: `<span class="atlas-pin-ring" style="background:${ring}"><span class="atlas-pin-body" style="background:${first.colour}"><svg class="icon" aria-hidden="true"><use href="#icon-${first.icon}"></use></svg></span></span>${more}`,
          className: `atlas-pin${slugs.length > 1 ? " atlas-pin-multi" : ""}`,
          iconSize: [32, 32],
          iconAnchor: [16, 16],
        }));
      }
      return cache.get(id);
    };
  }

  function pinLabel(place, key) {
    const kinds = place.categories.map((slug) => key[slug].name).join(", ");
    return say(messages.pin, {
      place: `${place.name}, ${place.state}`,
      initiatives: plural(place.count, messages.initiatives),
      kinds,
    });
  }

  // the popup opens at once with its heading and a loading line; the initiatives
  // replace the line when they arrive, and Leaflet sizes and pans it again
  function popupContent(place, settings, key, onReady) {
    const box = document.createElement("div");
    box.className = "atlas-popup";
    const heading = document.createElement("h3");
    const link = document.createElement("a");
    link.href = settings.place_url.replace("__slug__", place.slug);
    link.textContent = `${place.name}, ${place.state}`;
    heading.append(link);
    const loading = document.createElement("p");
    loading.className = "atlas-popup-loading";
    loading.setAttribute("role", "status");
    loading.textContent = messages.loading;
    box.append(heading, loading);
    fetch(settings.popup_url.replace("__slug__", place.slug))
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => {
        const list = document.createElement("ul");
        for (const initiative of data.initiatives) {
          const item = document.createElement("li");
          item.className = "atlas-popup-item";
          // a symbol of the page's inline icon sprite (templates/base.html)
          const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
          icon.setAttribute("class", "icon atlas-popup-icon");
          const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
          use.setAttribute("href", `#icon-${key[initiative.category].icon}`);
          icon.append(use);
          icon.style.color = key[initiative.category].colour;
          icon.setAttribute("aria-hidden", "true");
          const title = document.createElement("a");
          title.href = initiative.url;
          title.textContent = initiative.title;
          markEnglish(title);
          const kind = document.createElement("span");
          kind.className = "atlas-popup-kind";
          kind.textContent = `${initiative.category_name} · ${initiative.started_label} · ${initiative.status_label}`;
          const summary = document.createElement("p");
          summary.className = "atlas-popup-summary";
          summary.textContent = initiative.summary;
          markEnglish(summary);
          item.append(icon, title, kind, summary);
          if (initiative.contact_url) {
            // whom to call: the community page's Contact block for this initiative
            const contact = document.createElement("a");
            contact.className = "atlas-popup-contact";
            contact.href = initiative.contact_url;
            contact.textContent = messages.contact;
            contact.setAttribute("aria-label", say(messages.contact_label, { title: initiative.title }));
            item.append(contact);
          }
          list.append(item);
        }
        loading.replaceWith(list);
      })
      .catch(() => {
        loading.removeAttribute("role");
        loading.textContent = messages.popup_failed;
      })
      .finally(() => onReady(box));
    return box;
  }

  // outlines are fetched once the pins are clustered, and drawn on a canvas: on a
  // phone's connection they would otherwise share it with the pins, and 52 shapes
  // as SVG would compete with the clustering
  function addOutlines(map, settings, pinsReady) {
    map.createPane("outlines").style.zIndex = 250;
    return pinsReady
      .then(() => fetch(settings.outlines_url))
      .then((response) => response.json())
      .then((data) => {
        const layer = L.geoJSON(data, {
          pane: "outlines",
          renderer: L.canvas({ pane: "outlines" }),
          interactive: false,
          style: outlineStyle(settings),
        }).addTo(map);
        document.documentElement.dataset.outlines = "ready";
        return layer;
      });
  }

  // the chosen state stands out; read at each draw, so a new filter restyles it
  function outlineStyle(settings) {
    return (feature) => feature.properties.usps === settings.state
      ? { color: "#12324f", weight: 2, fillColor: "#dbe7f3", fillOpacity: 0.6 }
      : { color: "#7d8a97", weight: 1, fillColor: "#f3f5f7", fillOpacity: 0.5 };
  }

  function announce(text) {
    const status = document.getElementById("map-status");
    if (status) status.textContent = text;
  }

  const US_AND_TERRITORIES = [[5, -180], [75, -55]];
  // the places the first view of the 48 states leaves out, each a button that goes there
  const AWAY = ["AK", "HI", "PR"];

  function addAwayControl(map, markers) {
    const groups = {};
    for (const marker of markers.values()) {
      const state = marker.options.place.state;
      if (AWAY.includes(state) && !map.getBounds().contains(marker.getLatLng())) {
        (groups[state] ||= []).push(marker);
      }
    }
    const states = AWAY.filter((state) => groups[state]);
    if (!states.length) return;
    const control = L.control({ position: "bottomleft" });
    control.onAdd = () => {
      const box = L.DomUtil.create("div", "atlas-away leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      for (const state of states) {
        const button = L.DomUtil.create("button", "", box);
        button.type = "button";
        button.dataset.state = state;
        button.textContent = say(messages.away_button, {
          state: messages.away[state],
          count: numbers.format(groups[state].length),
        });
        button.addEventListener("click", () => {
          const bounds = L.latLngBounds(groups[state].map((m) => m.getLatLng()));
          map.fitBounds(bounds.pad(0.5), { maxZoom: 6 });
        });
      }
      return box;
    };
    return control.addTo(map);
  }

  // zoom 6 shows a few states: from there single pins carry their community's name
  const LABEL_ZOOM = 6;

  function init(map, settingsId) {
    performance.mark("atlas:init");
    const settings = JSON.parse(document.getElementById(settingsId).textContent);
    messages = settings.messages;
    pluralRules = new Intl.PluralRules(messages.language);
    numbers = new Intl.NumberFormat(messages.language);
    map.getContainer().dataset.twoFingers = messages.two_fingers;
    // Leaflet's zoom buttons are named in English: name them in the page's language
    for (const [selector, name] of [[".leaflet-control-zoom-in", messages.zoom_in], [".leaflet-control-zoom-out", messages.zoom_out]]) {
      const button = map.getContainer().querySelector(selector);
      if (button) {
        button.title = name;
        button.setAttribute("aria-label", name);
      }
    }
    const key = Object.fromEntries(settings.categories.map((c) => [c.slug, c]));
    const iconFor = iconMaker(key);
    const markers = new Map();
    // the map cannot be dragged off the United States (Alaska's Aleutians to Puerto Rico)
    map.setMaxBounds(US_AND_TERRITORIES);
    map.options.maxBoundsViscosity = 1.0;
    // on a touch screen one finger scrolls the page and two move the map: without
    // dragging, Leaflet's pinch (touchZoom) pans with two fingers, and the
    // container lets the browser scroll (touch-action: pan-x pan-y)
    if (window.matchMedia("(pointer: coarse)").matches) {
      map.dragging.disable();
      const hint = () => {
        map.getContainer().classList.add("atlas-two-fingers");
        clearTimeout(hint.timer);
        hint.timer = setTimeout(() => map.getContainer().classList.remove("atlas-two-fingers"), 1500);
      };
      map.getContainer().addEventListener("touchmove", (event) => {
        if (event.touches.length === 1) hint();
      }, { passive: true });
    }
    const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (reducedMotion) {
      // Leaflet reads these when it zooms; the CSS turns off the fades
      map._zoomAnimated = false;
      map.options.fadeAnimation = false;
      map.options.markerZoomAnimation = false;
    }
    const cluster = L.markerClusterGroup({
      animate: !reducedMotion,
      // cluster in slices of a quarter second so a large catalog never freezes the page
      chunkedLoading: true,
      chunkInterval: 200,
      chunkDelay: 1,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon,
    });
    // the pan that shows a popup keeps it clear of the zoom buttons at the top left
    const popup = L.popup({ offset: [0, -12], autoPanPadding: [12, 12], autoPanPaddingTopLeft: [56, 12] });
    let popupMarker = null;

    function openPlace(marker, focus) {
      // the popup fits inside the map at any width: its frame adds about 50 px to
      // the content, and the pan that brings it into view keeps it 56 px clear of
      // the zoom buttons on the left and 12 px from the right edge
      const room = map.getSize().x - 120;
      popup.options.maxWidth = Math.min(340, room);
      popup.options.minWidth = Math.min(220, room);
      popupMarker = marker;
      const content = popupContent(marker.options.place, settings, key, (box) => {
        if (!popup.isOpen() || popup.getContent() !== box) return;
        // update() puts the content in again, which would drop the focus held inside it
        const active = document.activeElement;
        let panned = false;
        const onPan = () => { panned = true; };
        map.once("movestart", onPan);
        popup.update(); // resizes, and pans the map if the grown popup leaves it
        map.off("movestart", onPan);
        if (box.contains(active)) active.focus();
        // settled: its links stay where they are (tests and quick clicks wait for it)
        const settled = () => { box.dataset.ready = "true"; };
        if (panned) map.once("moveend", settled);
        else settled();
      });
      popup.setLatLng(marker.getLatLng()).setContent(content).openOn(map);
      if (focus) content.querySelector("a").focus();
    }

    // back to the pin a popup belongs to, when the popup took the focus with it
    function returnFocus() {
      const icon = popupMarker && popupMarker._icon;
      if (icon) icon.focus();
      else map.getContainer().focus();
    }

    map.on("popupclose", (event) => {
      if (event.popup !== popup) return;
      const active = document.activeElement;
      if (active === document.body || !document.contains(active) || popup.getElement()?.contains(active)) {
        setTimeout(returnFocus, 0);
      }
    });
    map.getContainer().addEventListener("keydown", (event) => {
      if (event.key === "Escape" && map.hasLayer(popup)) {
        event.preventDefault();
        map.closePopup(popup);
        returnFocus();
      } else if (event.key === " " && event.target.classList.contains("atlas-cluster")) {
        // Space acts as Enter on a cluster, and does not scroll the page
        event.preventDefault();
        const layer = visibleLayers().find((l) => l._icon === event.target);
        if (layer) focusAfterZoom(layer, () => layer.zoomToBounds());
      }
    });

    cluster.on("click", (event) => openPlace(event.layer, false));
    // Leaflet gives focusable markers Enter as a keypress, not a click
    cluster.on("keypress", (event) => {
      if (event.originalEvent.key === "Enter") openPlace(event.layer, true);
    });
    // Enter on a cluster zooms in (markercluster); focus then goes to the pin or
    // cluster nearest where it was, not back to the start of the map
    cluster.on("clusterkeypress", (event) => {
      if (event.originalEvent.key === "Enter") focusAfterZoom(event.layer);
    });

    function visibleLayers() {
      return cluster._featureGroup.getLayers().filter((layer) => layer._icon);
    }

    function focusAfterZoom(layer, zoom) {
      const where = layer.getLatLng();
      map.once("moveend", () => setTimeout(() => {
        let best = null;
        let bestDistance = Infinity;
        for (const candidate of visibleLayers()) {
          const distance = where.distanceTo(candidate.getLatLng());
          if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
        }
        if (best) best._icon.focus();
      }, 0));
      if (zoom) zoom();
    }

    // Tab goes through the zoom controls first, then the pins from west to east
    const container = map.getContainer();
    container.insertBefore(map._controlContainer, container.firstChild);
    function sortPins() {
      const pane = map.getPane("markerPane");
      const layers = visibleLayers().sort((a, b) => a.getLatLng().lng - b.getLatLng().lng);
      for (const layer of layers) pane.append(layer._icon);
    }
    // names beside single pins once the map shows a region
    function showLabels() {
      container.classList.toggle("atlas-labels", map.getZoom() >= LABEL_ZOOM);
    }
    map.on("zoomend", showLabels);
    showLabels();
    cluster.on("animationend", sortPins);
    map.on("moveend", () => setTimeout(sortPins, 0));
    map.addLayer(cluster);

    let pinsReady;
    const pinsDone = new Promise((resolve) => { pinsReady = resolve; });
    let outlines = null;
    addOutlines(map, settings, pinsDone)
      .then((layer) => { outlines = layer; })
      .catch(() => announce(messages.outlines_failed));

    let awayControl = null;
    let loading = 0; // the newest request for pins; an older answer is dropped
    function loadPins() {
      const request = ++loading;
      delete document.documentElement.dataset.pins;
      performance.mark("atlas:pins-requested");
      fetch(settings.pins_url)
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        })
        .then((data) => {
          if (request !== loading) return;
          performance.mark("atlas:pins-received");
          markers.clear();
          cluster.clearLayers();
          const layers = data.features.map((feature) => {
            const place = feature.properties;
            const [lon, lat] = feature.geometry.coordinates;
            const marker = L.marker([lat, lon], {
              icon: iconFor(place.categories),
              title: pinLabel(place, key),
              riseOnHover: true,
            });
            marker.options.place = place;
            marker.bindTooltip(place.name, {
              permanent: true, direction: "right", offset: [14, 0], className: "atlas-label",
            });
            markers.set(place.slug, marker);
            return marker;
          });
          performance.mark("atlas:markers-built");
          // markercluster reports the last chunk just before it draws the result
          cluster.options.chunkProgress = (processed, total) => {
            if (processed === total) setTimeout(() => ready(layers.length), 0);
          };
          cluster.addLayers(layers);
          if (!layers.length) ready(0);
        })
        .catch(() => {
          announce(messages.pins_failed);
          pinsReady();
        });
    }
    loadPins();

    function ready(count) {
      performance.mark("atlas:pins-clustered");
      sortPins();
      if (!settings.state && !settings.focus) awayControl = addAwayControl(map, markers);
      announce(say(messages.shows, { communities: plural(count, messages.communities) }));
      window.atlasMap = { map, cluster, markers, readyAt: performance.now(), count };
      document.documentElement.dataset.pins = "ready";
      const focused = settings.focus && markers.get(settings.focus);
      if (focused) {
        // the page's own community stands out among its neighbours
        const icon = focused.options.icon;
        focused.setIcon(L.divIcon({ ...icon.options, className: `${icon.options.className} atlas-pin-focus` }));
        focused.setZIndexOffset(1000);
        cluster.zoomToShowLayer(focused);
      }
      for (const button of document.querySelectorAll("button[data-show-place]")) {
        const marker = markers.get(button.dataset.showPlace);
        if (!marker || !button.hidden) continue;
        button.hidden = false;
        button.addEventListener("click", () => {
          map.getContainer().scrollIntoView({ block: "nearest" });
          cluster.zoomToShowLayer(marker, () => openPlace(marker, true));
        });
      }
      document.dispatchEvent(new CustomEvent("atlas:pins", { detail: { count } }));
      pinsReady();
    }

    // a filter applied in place (initInPlaceFilters): new pins on the same map,
    // which keeps its view unless the state changed, and then fits the new one
    window.AtlasMap.update = (next) => {
      const newState = next.state !== settings.state;
      Object.assign(settings, next);
      map.closePopup(popup);
      if (awayControl) awayControl.remove();
      awayControl = null;
      if (outlines) outlines.setStyle(outlineStyle(settings));
      if (newState && settings.bounds) map.fitBounds(settings.bounds, { animate: false });
      loadPins();
    };
  }

  // on a phone the filter panel starts closed behind its button (the map comes first)
  function initFilterPanel() {
    const panel = document.querySelector(".filters");
    const toggle = panel && panel.querySelector(".filters-toggle");
    if (!toggle) return;
    toggle.addEventListener("click", () => {
      const open = panel.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  document.addEventListener("DOMContentLoaded", initFilterPanel);

  // With JavaScript, the map key, the kinds and the state apply at once, without a
  // reload: the page for the new filter is fetched, and its summary, key, filter
  // form and list take the place of the old ones, while the map stays and loads
  // the new pins. The URL follows (back and forward restore the view); focus
  // stays where the visitor acted. Without JavaScript, the links and form work.
  function initInPlaceFilters() {
    const panel = document.querySelector(".filters");
    if (!panel || !document.getElementById("filter-summary")) return;
    document.documentElement.classList.add("filters-live");
    let newest = null;

    async function show(url, { push = true, focus = null } = {}) {
      const request = (newest = fetch(url, { headers: { Accept: "text/html" } }));
      let page;
      try {
        const response = await request;
        // an error page says what went wrong better than this script could
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        page = new DOMParser().parseFromString(await response.text(), "text/html");
      } catch {
        window.location.assign(url);
        return;
      }
      if (request !== newest) return;
      const active = document.activeElement;
      const focusAt = focus || (active && active.id ? `#${CSS.escape(active.id)}` : null);
      // the summary is a live region: its text changes, so it is announced
      document.getElementById("filter-summary").textContent =
        page.getElementById("filter-summary").textContent;
      // "More filters" stays open if the visitor opened it
      const more = document.querySelector(".more-filters");
      const moreOpen = Boolean(more && more.open);
      for (const selector of [".map-key", "#filters-form", "#take-away", ".list"]) {
        const fresh = page.querySelector(selector);
        if (fresh) document.querySelector(selector).replaceWith(document.adoptNode(fresh));
      }
      const freshMore = document.querySelector(".more-filters");
      if (freshMore && moreOpen) freshMore.open = true;
      const toggle = document.querySelector(".filters-toggle");
      const freshToggle = page.querySelector(".filters-toggle");
      if (toggle && freshToggle) toggle.replaceChildren(...freshToggle.childNodes);
      document.title = page.title;
      // what a shared or bookmarked link of the new view says of it
      for (const [selector, attribute] of [
        ["link[rel=canonical]", "href"],
        ['meta[property="og:url"]', "content"],
        ['meta[property="og:title"]', "content"],
        ['link[rel=alternate][type="application/atom+xml"]', "href"],
      ]) {
        const mine = document.head.querySelector(selector);
        const fresh = page.head.querySelector(selector);
        if (mine && fresh) mine.setAttribute(attribute, fresh.getAttribute(attribute));
      }
      if (push) window.history.pushState(null, "", url);
      window.AtlasMap.update(JSON.parse(page.getElementById("atlas-map-settings").textContent));
      const target = focusAt && document.querySelector(focusAt);
      if (target) target.focus();
    }

    document.addEventListener("click", (event) => {
      const link = event.target.closest(".facets a, .filters a.clear, .list .empty a");
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      const category = link.dataset.category;
      show(link.href, {
        focus: category ? `.facets [data-category="${category}"]` : ".facets [data-category]",
      });
    });
    panel.addEventListener("change", (event) => {
      const field = event.target;
      if (field.form) show(formUrl(field.form), { focus: field.id ? `#${CSS.escape(field.id)}` : null });
    });
    panel.addEventListener("submit", (event) => {
      event.preventDefault();
      show(formUrl(event.target));
    });
    window.addEventListener("popstate", () => show(window.location.href, { push: false }));
  }

  // the form's URL as the server writes it: empty values left out
  function formUrl(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) params.append(name, value);
    const query = params.toString();
    return form.action.split("?")[0] + (query ? `?${query}` : "");
  }

  document.addEventListener("DOMContentLoaded", initInPlaceFilters);

  window.AtlasMap = { init, update: () => {} };
})();
