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

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  function clusterIcon(cluster) {
    const count = cluster.getChildCount();
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return new LabelledIcon({
      html: `<span>${count}</span>`,
      className: `atlas-cluster atlas-cluster-${size}`,
      iconSize: [40, 40],
      label: plural(count, "community", "communities"),
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
          html: `<span class="atlas-pin-ring" style="background:${ring}"><span class="atlas-pin-body" style="background:${first.colour}"><i class="fa-solid fa-${first.icon}" aria-hidden="true"></i></span></span>${more}`,
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
    return `${place.name}, ${place.state}: ${plural(place.count, "initiative", "initiatives")} (${kinds})`;
  }

  // the popup opens once its initiatives have arrived, so Leaflet can size and pan it
  function popupContent(place, settings, key) {
    const box = document.createElement("div");
    box.className = "atlas-popup";
    const heading = document.createElement("h3");
    const link = document.createElement("a");
    link.href = settings.place_url.replace("__slug__", place.slug);
    link.textContent = `${place.name}, ${place.state}`;
    heading.append(link);
    box.append(heading);
    return fetch(settings.popup_url.replace("__slug__", place.slug))
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => {
        const list = document.createElement("ul");
        for (const initiative of data.initiatives) {
          const item = document.createElement("li");
          const icon = document.createElement("i");
          icon.className = `fa-solid fa-${key[initiative.category].icon} atlas-popup-icon`;
          icon.style.color = key[initiative.category].colour;
          icon.setAttribute("aria-hidden", "true");
          const title = document.createElement("a");
          title.href = initiative.url;
          title.textContent = initiative.title;
          const kind = document.createElement("span");
          kind.className = "atlas-popup-kind";
          kind.textContent = initiative.category_name;
          item.append(icon, title, kind);
          list.append(item);
        }
        box.append(list);
        return box;
      })
      .catch(() => {
        const message = document.createElement("p");
        message.textContent = "The initiatives could not be loaded; the community page has them all.";
        box.append(message);
        return box;
      });
  }

  // outlines are fetched at once but drawn once the pins are clustered, on a
  // canvas: 52 detailed shapes as SVG would compete with the clustering
  function addOutlines(map, settings, pinsReady) {
    map.createPane("outlines").style.zIndex = 250;
    const outlines = fetch(settings.outlines_url).then((response) => response.json());
    return Promise.all([outlines, pinsReady])
      .then(([data]) => {
        L.geoJSON(data, {
          pane: "outlines",
          renderer: L.canvas({ pane: "outlines" }),
          interactive: false,
          style: (feature) => feature.properties.usps === settings.state
            ? { color: "#12324f", weight: 2, fillColor: "#dbe7f3", fillOpacity: 0.6 }
            : { color: "#7d8a97", weight: 1, fillColor: "#f3f5f7", fillOpacity: 0.5 },
        }).addTo(map);
        document.documentElement.dataset.outlines = "ready";
      });
  }

  function announce(text) {
    const status = document.getElementById("map-status");
    if (status) status.textContent = text;
  }

  function init(map, settingsId) {
    performance.mark("atlas:init");
    const settings = JSON.parse(document.getElementById(settingsId).textContent);
    const key = Object.fromEntries(settings.categories.map((c) => [c.slug, c]));
    const iconFor = iconMaker(key);
    const markers = new Map();
    const cluster = L.markerClusterGroup({
      // cluster in slices of a quarter second so a large catalog never freezes the page
      chunkedLoading: true,
      chunkInterval: 200,
      chunkDelay: 1,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon,
    });
    const popup = L.popup({ minWidth: 220, maxWidth: 320, offset: [0, -12] });

    function openPlace(marker, focus) {
      return popupContent(marker.options.place, settings, key).then((content) => {
        popup.setLatLng(marker.getLatLng()).setContent(content).openOn(map);
        if (focus) content.querySelector("a").focus();
      });
    }

    cluster.on("click", (event) => openPlace(event.layer, false));
    // Leaflet gives focusable markers Enter as a keypress, not a click
    cluster.on("keypress", (event) => {
      if (event.originalEvent.key === "Enter") openPlace(event.layer, true);
    });
    map.addLayer(cluster);

    let pinsReady;
    const pinsDone = new Promise((resolve) => { pinsReady = resolve; });
    addOutlines(map, settings, pinsDone)
      .catch(() => announce("The state outlines could not be loaded."));

    performance.mark("atlas:pins-requested");
    fetch(settings.pins_url)
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => {
        performance.mark("atlas:pins-received");
        const layers = data.features.map((feature) => {
          const place = feature.properties;
          const [lon, lat] = feature.geometry.coordinates;
          const marker = L.marker([lat, lon], {
            icon: iconFor(place.categories),
            title: pinLabel(place, key),
            riseOnHover: true,
          });
          marker.options.place = place;
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
        announce("The map pins could not be loaded; the list below has every result.");
        pinsReady();
      });

    function ready(count) {
      performance.mark("atlas:pins-clustered");
      announce(`The map shows ${plural(count, "community", "communities")}.`);
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
        if (!marker) continue;
        button.hidden = false;
        button.addEventListener("click", () => {
          map.getContainer().scrollIntoView({ block: "nearest" });
          cluster.zoomToShowLayer(marker, () => openPlace(marker, true));
        });
      }
      document.dispatchEvent(new CustomEvent("atlas:pins", { detail: { count } }));
      pinsReady();
    }
  }

  window.AtlasMap = { init };
})();
