package dev.lake.testing.binance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lake.core.model.MarketType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The JSON bodies of Binance's REST market-data endpoints, shaped like the real ones. */
final class RestBodies {
  private static final long PERPETUAL_DELIVERY_DATE_MS = 4_133_404_800_000L;

  private RestBodies() {}

  /** {@code GET depth}: spot has no times (null), futures adds {@code E} and {@code T}. */
  static String depth(BookSnapshot snapshot, Long eventTimeMs) {
    ObjectNode node = Json.object().put("lastUpdateId", snapshot.lastUpdateId());
    if (eventTimeMs != null) {
      node.put("E", eventTimeMs).put("T", eventTimeMs - 2);
    }
    node.set("bids", Json.levels(snapshot.bids()));
    node.set("asks", Json.levels(snapshot.asks()));
    return Json.write(node);
  }

  static String serverTime(long nowMs) {
    return Json.write(Json.object().put("serverTime", nowMs));
  }

  /** {@code GET /api/v3/exchangeInfo}. */
  static String spotExchangeInfo(List<Listing> listings, long nowMs) {
    ObjectNode node = Json.object().put("timezone", "UTC").put("serverTime", nowMs);
    ArrayNode limits = node.putArray("rateLimits");
    limits.add(rateLimit("REQUEST_WEIGHT", "MINUTE", 1, 6000));
    limits.add(rateLimit("ORDERS", "SECOND", 10, 100));
    limits.add(rateLimit("ORDERS", "DAY", 1, 200_000));
    limits.add(rateLimit("RAW_REQUESTS", "MINUTE", 5, 61_000));
    node.putArray("exchangeFilters");
    ArrayNode symbols = node.putArray("symbols");
    listings.forEach(listing -> symbols.add(spotSymbol(listing)));
    return Json.write(node);
  }

  /** {@code GET /fapi/v1/exchangeInfo}. */
  static String futuresExchangeInfo(List<Listing> listings, long nowMs) {
    ObjectNode node = Json.object().put("timezone", "UTC").put("serverTime", nowMs);
    node.put("futuresType", "U_MARGINED");
    ArrayNode limits = node.putArray("rateLimits");
    limits.add(rateLimit("REQUEST_WEIGHT", "MINUTE", 1, 2400));
    limits.add(rateLimit("ORDERS", "MINUTE", 1, 1200));
    limits.add(rateLimit("ORDERS", "SECOND", 10, 300));
    node.putArray("exchangeFilters");
    Set<String> marginAssets = new LinkedHashSet<>();
    listings.forEach(listing -> marginAssets.add(listing.quoteAsset));
    ArrayNode assets = node.putArray("assets");
    marginAssets.forEach(
        asset ->
            assets
                .addObject()
                .put("asset", asset)
                .put("marginAvailable", true)
                .put("autoAssetExchange", "-10000"));
    ArrayNode symbols = node.putArray("symbols");
    listings.forEach(listing -> symbols.add(futuresSymbol(listing)));
    return Json.write(node);
  }

  /** {@code GET /fapi/v1/openInterest}. */
  static String openInterest(Listing listing, long nowMs) {
    return Json.write(
        Json.object()
            .put("openInterest", listing.openInterest)
            .put("symbol", listing.symbol)
            .put("time", nowMs));
  }

  /** One element of {@code GET /fapi/v1/premiumIndex}; mark and index come from the book. */
  static ObjectNode premiumIndex(Listing listing, long nowMs) {
    double midTicks = listing.book().midTicks().orElse(0);
    BigDecimal mark = BigDecimal.valueOf(midTicks).movePointLeft(Decimals.PRICE_SCALE);
    BigDecimal index = mark.multiply(new BigDecimal("0.9999"));
    Listing.Funding funding = listing.funding;
    return Json.object()
        .put("symbol", listing.symbol)
        .put("markPrice", eightDecimals(mark))
        .put("indexPrice", eightDecimals(index))
        .put("estimatedSettlePrice", eightDecimals(index))
        .put("lastFundingRate", funding.lastFundingRate())
        .put("interestRate", "0.00010000")
        .put("nextFundingTime", funding.nextFundingTimeMs())
        .put("time", nowMs);
  }

  static String premiumIndexes(List<Listing> listings, long nowMs) {
    ArrayNode array = Json.array();
    listings.forEach(listing -> array.add(premiumIndex(listing, nowMs)));
    return Json.write(array);
  }

  private static ObjectNode spotSymbol(Listing listing) {
    ObjectNode node =
        Json.object()
            .put("symbol", listing.symbol)
            .put("status", "TRADING")
            .put("baseAsset", listing.baseAsset)
            .put("baseAssetPrecision", 8)
            .put("quoteAsset", listing.quoteAsset)
            .put("quotePrecision", 8)
            .put("quoteAssetPrecision", 8)
            .put("baseCommissionPrecision", 8)
            .put("quoteCommissionPrecision", 8);
    strings(node.putArray("orderTypes"), "LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT");
    node.put("icebergAllowed", true)
        .put("ocoAllowed", true)
        .put("otoAllowed", true)
        .put("quoteOrderQtyMarketAllowed", true)
        .put("allowTrailingStop", true)
        .put("cancelReplaceAllowed", true)
        .put("amendAllowed", true)
        .put("isSpotTradingAllowed", true)
        .put("isMarginTradingAllowed", false);
    node.set("filters", spotFilters(Decimals.of(MarketType.SPOT)));
    node.putArray("permissions");
    strings(node.putArray("permissionSets").addArray(), "SPOT");
    node.put("defaultSelfTradePreventionMode", "EXPIRE_MAKER");
    strings(
        node.putArray("allowedSelfTradePreventionModes"),
        "EXPIRE_TAKER",
        "EXPIRE_MAKER",
        "EXPIRE_BOTH",
        "DECREMENT");
    return node;
  }

  private static ArrayNode spotFilters(Decimals decimals) {
    ArrayNode filters = Json.array();
    filters
        .addObject()
        .put("filterType", "PRICE_FILTER")
        .put("minPrice", decimals.price(1))
        .put("maxPrice", decimals.price(100_000_000))
        .put("tickSize", decimals.price(1));
    filters
        .addObject()
        .put("filterType", "LOT_SIZE")
        .put("minQty", decimals.quantity(1))
        .put("maxQty", "9000.00000000")
        .put("stepSize", decimals.quantity(1));
    filters.addObject().put("filterType", "ICEBERG_PARTS").put("limit", 10);
    filters
        .addObject()
        .put("filterType", "NOTIONAL")
        .put("minNotional", "5.00000000")
        .put("applyMinToMarket", true)
        .put("maxNotional", "9000000.00000000")
        .put("applyMaxToMarket", false)
        .put("avgPriceMins", 5);
    filters.addObject().put("filterType", "MAX_NUM_ORDERS").put("maxNumOrders", 200);
    filters.addObject().put("filterType", "MAX_NUM_ALGO_ORDERS").put("maxNumAlgoOrders", 5);
    return filters;
  }

  private static ObjectNode futuresSymbol(Listing listing) {
    ObjectNode node =
        Json.object()
            .put("symbol", listing.symbol)
            .put("pair", listing.symbol)
            .put("contractType", "PERPETUAL")
            .put("deliveryDate", PERPETUAL_DELIVERY_DATE_MS)
            .put("onboardDate", listing.onboardDateMs())
            .put("status", "TRADING")
            .put("maintMarginPercent", "2.5000")
            .put("requiredMarginPercent", "5.0000")
            .put("baseAsset", listing.baseAsset)
            .put("quoteAsset", listing.quoteAsset)
            .put("marginAsset", listing.quoteAsset)
            .put("pricePrecision", Decimals.PRICE_SCALE)
            .put("quantityPrecision", Decimals.of(MarketType.FUTURE).quantityScale())
            .put("baseAssetPrecision", 8)
            .put("quotePrecision", 8)
            .put("underlyingType", "COIN");
    node.putArray("underlyingSubType");
    node.put("triggerProtect", "0.0500")
        .put("liquidationFee", "0.012500")
        .put("marketTakeBound", "0.05")
        .put("maxMoveOrderLimit", 10000);
    node.set("filters", futuresFilters(Decimals.of(MarketType.FUTURE)));
    strings(node.putArray("orderTypes"), "LIMIT", "MARKET", "STOP", "STOP_MARKET");
    strings(node.putArray("timeInForce"), "GTC", "IOC", "FOK", "GTX", "GTD");
    return node;
  }

  private static ArrayNode futuresFilters(Decimals decimals) {
    ArrayNode filters = Json.array();
    filters
        .addObject()
        .put("filterType", "PRICE_FILTER")
        .put("minPrice", decimals.price(1))
        .put("maxPrice", "1000000")
        .put("tickSize", decimals.price(1));
    filters
        .addObject()
        .put("filterType", "LOT_SIZE")
        .put("minQty", decimals.quantity(1))
        .put("maxQty", "1000")
        .put("stepSize", decimals.quantity(1));
    filters
        .addObject()
        .put("filterType", "MARKET_LOT_SIZE")
        .put("minQty", decimals.quantity(1))
        .put("maxQty", "120")
        .put("stepSize", decimals.quantity(1));
    filters.addObject().put("filterType", "MAX_NUM_ORDERS").put("limit", 200);
    filters.addObject().put("filterType", "MAX_NUM_ALGO_ORDERS").put("limit", 10);
    filters.addObject().put("filterType", "MIN_NOTIONAL").put("notional", "100");
    filters
        .addObject()
        .put("filterType", "PERCENT_PRICE")
        .put("multiplierUp", "1.0500")
        .put("multiplierDown", "0.9500")
        .put("multiplierDecimal", "4");
    return filters;
  }

  private static ObjectNode rateLimit(String type, String interval, int intervalNum, int limit) {
    return Json.object()
        .put("rateLimitType", type)
        .put("interval", interval)
        .put("intervalNum", intervalNum)
        .put("limit", limit);
  }

  private static void strings(ArrayNode array, String... values) {
    for (String value : values) {
      array.add(value);
    }
  }

  private static String eightDecimals(BigDecimal value) {
    return value.setScale(8, RoundingMode.HALF_EVEN).toPlainString();
  }
}
